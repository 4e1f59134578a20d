import { DATABRICKS_QUERY_EXTRA_FIELDS, errors, type Task } from "@edgeserve/api";
import { convertToAi21Messages } from "./convert-to-ai21-messages";
import { convertToAi21Tools } from "./convert-to-ai21-tools";

export const AI21_NO_EMBEDDINGS = "ai21labs does not offer embeddings: serve llm/v1/embeddings with another provider.";

/** Request fields handled here; anything else from the caller that AI21 lacks is a 400, never dropped. */
const HANDLED = new Set([
  "model",
  "messages",
  "prompt",
  "tools",
  "tool_choice",
  "response_format",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "n",
  "stream",
  "stream_options",
  // Databricks' own fields: recorded by the gateway (or merged, for extra_params), not sent as such.
  ...DATABRICKS_QUERY_EXTRA_FIELDS,
  // An end-user id that changes no answer: AI21 has no field for it; the Anthropic ingress sends it for every Claude
  // client.
  "user",
]);

/**
 * OpenAI-format chat (or completions) body → AI21's chat request. AI21 has no completions API for
 * Jamba, so `llm/v1/completions` is served by chat with the prompt as one user message.
 * `extra_params` (e.g. AI21's `documents`) are merged in as they are.
 */
export function buildAi21Request(
  body: Record<string, unknown>,
  modelName: string,
  task: Task,
): Record<string, unknown> {
  if (task === "llm/v1/embeddings") throw errors.invalid(AI21_NO_EMBEDDINGS);
  for (const key of Object.keys(body))
    if (!HANDLED.has(key)) throw errors.invalid(`ai21labs does not support '${key}'.`);

  let messages: unknown[];
  if (task === "llm/v1/completions") {
    const prompt = body.prompt;
    const prompts = Array.isArray(prompt) ? prompt : [prompt];
    if (prompts.length !== 1 || typeof prompts[0] !== "string")
      throw errors.invalid("ai21labs completions take one prompt per request.");
    messages = [{ role: "user", content: prompts[0] }];
  } else {
    messages = body.messages as unknown[];
  }

  const out: Record<string, unknown> = { model: modelName, messages: convertToAi21Messages(messages as never[]) };
  const tools = convertToAi21Tools(body.tools as never, body.tool_choice);
  if (tools) out.tools = tools;

  const format = body.response_format as { type?: string } | undefined;
  if (format) {
    if (format.type !== "text" && format.type !== "json_object")
      throw errors.invalid(`ai21labs does not support response_format '${String(format.type)}'; use "json_object".`);
    out.response_format = { type: format.type };
  }
  if (body.max_tokens !== undefined && body.max_completion_tokens !== undefined)
    throw errors.invalid("Give only one of max_tokens and max_completion_tokens.");
  const maxTokens = body.max_tokens ?? body.max_completion_tokens;
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  for (const key of ["temperature", "top_p", "n"] as const) if (body[key] !== undefined) out[key] = body[key];
  if (body.stop !== undefined) out.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.stream === true) {
    // AI21 streams a single choice (index always 0).
    if (typeof body.n === "number" && body.n > 1)
      throw errors.invalid("ai21labs does not support n > 1 when streaming.");
    out.stream = true;
  }

  const extra = body.extra_params;
  if (extra && typeof extra === "object") Object.assign(out, extra);
  out.model = modelName;
  return out;
}
