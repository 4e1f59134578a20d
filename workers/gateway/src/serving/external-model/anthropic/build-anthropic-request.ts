import { DATABRICKS_QUERY_EXTRA_FIELDS, errors } from "@edgeserve/api";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages";
import { convertToAnthropicTools } from "./convert-to-anthropic-tools";

/** Anthropic requires `max_tokens`; OpenAI callers often leave it out, so this is sent when they do. */
export const DEFAULT_MAX_TOKENS = 4096;

/** OpenAI fields this provider translates itself; everything else unknown passes through as an Anthropic parameter. */
const TRANSLATED = new Set([
  "model",
  "messages",
  "prompt",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "n",
  "stop",
  "stream",
  "stream_options",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "user",
  ...DATABRICKS_QUERY_EXTRA_FIELDS,
]);

/** OpenAI features the Messages API has no equivalent for: a clear 400 rather than silently ignoring them. */
const UNSUPPORTED = [
  "frequency_penalty",
  "presence_penalty",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "seed",
  "functions",
  "function_call",
  "audio",
  "modalities",
  "prediction",
  "web_search_options",
  "store",
  "echo",
  "suffix",
  "best_of",
];

function checkSampling(body: Record<string, unknown>) {
  for (const field of UNSUPPORTED)
    if (body[field] !== undefined && body[field] !== null)
      throw errors.invalid(`anthropic does not support '${field}'.`);
  if (typeof body.n === "number" && body.n > 1)
    throw errors.invalid("anthropic does not support n > 1: it returns one choice per request.");
  if (typeof body.temperature === "number" && body.temperature > 1)
    throw errors.invalid(`anthropic accepts a temperature between 0 and 1, got ${body.temperature}.`);
}

/**
 * `response_format`: text is the default; json_schema uses Anthropic's structured outputs; schema-less JSON mode does
 * not exist there.
 */
function outputFormat(responseFormat: unknown): Record<string, unknown> | undefined {
  if (!responseFormat || typeof responseFormat !== "object") return undefined;
  const rf = responseFormat as { type?: string; json_schema?: { schema?: Record<string, unknown> } };
  if (rf.type === "text") return undefined;
  if (rf.type === "json_schema") {
    if (!rf.json_schema?.schema) throw errors.invalid("response_format.json_schema.schema is required.");
    return { output_config: { format: { type: "json_schema", schema: rf.json_schema.schema } } };
  }
  throw errors.invalid(
    "anthropic does not support response_format 'json_object' (JSON " +
      "mode without a schema); use 'json_schema' with a schema, or tools.",
  );
}

/**
 * An OpenAI-format chat (or completions) body → an Anthropic Messages request body.
 * Databricks-only fields stay here, unknown fields pass through as Anthropic parameters, and
 * `extra_params` are merged in last (e.g. `{"thinking": {...}}` or `{"top_k": 5}`).
 */
export function buildAnthropicRequest(
  body: Record<string, unknown>,
  modelName: string,
  stream: boolean,
): Record<string, unknown> {
  checkSampling(body);
  const messages =
    body.messages !== undefined
      ? (body.messages as Parameters<typeof convertToAnthropicMessages>[0])
      : completionsPrompt(body.prompt);
  const out: Record<string, unknown> = { model: modelName, ...convertToAnthropicMessages(messages) };
  out.max_tokens =
    (body.max_completion_tokens as number | undefined) ?? (body.max_tokens as number | undefined) ?? DEFAULT_MAX_TOKENS;
  for (const field of ["temperature", "top_p", "top_k"] as const)
    if (body[field] !== undefined && body[field] !== null) out[field] = body[field];
  if (body.stop !== undefined && body.stop !== null)
    out.stop_sequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (typeof body.user === "string") out.metadata = { user_id: body.user };
  Object.assign(out, convertToAnthropicTools(body), outputFormat(body.response_format));
  if (stream) out.stream = true;
  for (const [key, value] of Object.entries(body))
    if (!TRANSLATED.has(key) && !UNSUPPORTED.includes(key)) out[key] = value;
  const extra = body.extra_params;
  if (extra && typeof extra === "object") Object.assign(out, extra);
  return out;
}

/**
 * llm/v1/completions is served through the Messages API (Anthropic has no completions API): the prompt is one user
 * message.
 */
function completionsPrompt(prompt: unknown): { role: string; content: string }[] {
  const prompts = typeof prompt === "string" ? [prompt] : Array.isArray(prompt) ? (prompt as string[]) : [];
  if (prompts.length !== 1)
    throw errors.invalid("anthropic serves completions one prompt at a time: give 'prompt' as a string.");
  return [{ role: "user", content: prompts[0]! }];
}
