import { DATABRICKS_QUERY_EXTRA_FIELDS, errors } from "@edgeserve/api";

/** OpenAI chat fields Workers AI's text-generation models take under the same name. */
const PASSED = ["max_tokens", "temperature", "top_p", "top_k", "seed", "frequency_penalty", "presence_penalty"];
/** Fields acted on here or recorded (Databricks' own, `user`, the OpenAI-compatible route's `model`). */
const HANDLED = new Set([...PASSED, "messages", "stream", "stream_options", "tools", "tool_choice", "model", "user"]);

type Message = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown; name?: unknown };

/** A message's text: Workers AI takes strings only, so text parts are joined and other parts refused. */
function textOf(content: unknown, index: number): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw errors.invalid(`Invalid value for 'messages[${index}].content'.`);
  return content
    .map((part: { type?: unknown; text?: unknown }, p) => {
      if (part?.type === "text" && typeof part.text === "string") return part.text;
      throw errors.invalid(
        `Invalid value for 'messages[${index}].content[${p}]': ` +
          `this model takes text only (type '${String(part?.type)}').`,
      );
    })
    .join("");
}

/**
 * An OpenAI chat request (already checked against the chat schema) → the inputs of `env.AI.run` for a
 * text-generation model: `{messages, stream, max_tokens, tools, …}`. What Workers AI cannot do is refused
 * with a 400 naming the field, never dropped: `n` > 1, `stop`, `logprobs`, a forced `tool_choice`.
 */
export function buildWorkersAiInput(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (HANDLED.has(key) || DATABRICKS_QUERY_EXTRA_FIELDS.includes(key)) continue;
    if (key === "n" && body.n === 1) continue;
    throw errors.invalid(`Workers AI models do not support '${key}' on Edgeserve; leave it out.`);
  }
  const extra = Object.keys((body.extra_params as object | undefined) ?? {});
  if (extra.length > 0)
    throw errors.invalid(`Workers AI models take no extra_params on Edgeserve ('${extra[0]}' given).`);
  if (body.tool_choice !== undefined && body.tool_choice !== "auto")
    throw errors.invalid("Invalid value for 'tool_choice': Workers AI models only choose tools themselves ('auto').");
  const messages = (body.messages as Message[]).map((m, i) => ({
    role: m.role,
    content: textOf(m.content, i),
    ...(m.tool_calls !== undefined ? { tool_calls: m.tool_calls } : {}),
    ...(typeof m.tool_call_id === "string" ? { tool_call_id: m.tool_call_id } : {}),
    ...(typeof m.name === "string" ? { name: m.name } : {}),
  }));
  const input: Record<string, unknown> = { messages };
  for (const key of PASSED) if (body[key] !== undefined) input[key] = body[key];
  if (Array.isArray(body.tools) && body.tools.length > 0) input.tools = body.tools;
  if (body.stream === true) input.stream = true;
  return input;
}
