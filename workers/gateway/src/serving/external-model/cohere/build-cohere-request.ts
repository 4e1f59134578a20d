import { DATABRICKS_QUERY_EXTRA_FIELDS, errors } from "@edgeserve/api";
import { convertToCohereMessages } from "./convert-to-cohere-messages";
import { convertToCohereTools } from "./convert-to-cohere-tools";

/** Fields that change nothing in what Cohere generates (transport options, the model we override, end-user ids). */
const NO_EFFECT = new Set(["model", "stream", "stream_options", "user", ...DATABRICKS_QUERY_EXTRA_FIELDS]);

/** OpenAI sampling fields Cohere has under another name (or the same one). */
const SAMPLING: Record<string, string> = {
  temperature: "temperature",
  top_p: "p",
  top_k: "k",
  seed: "seed",
  frequency_penalty: "frequency_penalty",
  presence_penalty: "presence_penalty",
};

function rejectUnknown(body: Record<string, unknown>, handled: readonly string[]) {
  for (const key of Object.keys(body)) {
    if (body[key] === undefined || NO_EFFECT.has(key) || handled.includes(key) || key in SAMPLING) continue;
    throw errors.invalid(`Cohere does not support the parameter '${key}'.`);
  }
}

function common(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.n !== undefined && body.n !== 1) throw errors.invalid("Cohere does not support 'n' greater than 1.");
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  for (const [from, to] of Object.entries(SAMPLING)) if (body[from] !== undefined) out[to] = body[from];
  if (body.stop !== undefined) out.stop_sequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  return out;
}

function responseFormat(format: unknown): Record<string, unknown> | undefined {
  if (format === undefined) return undefined;
  const f = format as { type?: string; json_schema?: { schema?: unknown } };
  if (f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json_object" };
  if (f.type === "json_schema") {
    if (!f.json_schema?.schema) throw errors.invalid("response_format.json_schema.schema is required.");
    return { type: "json_object", json_schema: f.json_schema.schema };
  }
  throw errors.invalid(`Cohere does not support response_format type '${String(f.type)}'.`);
}

function withExtraParams(out: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const extra = body.extra_params;
  return extra && typeof extra === "object" ? { ...out, ...(extra as Record<string, unknown>) } : out;
}

/**
 * An OpenAI chat request → the body of Cohere's `POST /v2/chat`. Databricks-only fields are left
 * out, `extra_params` are Cohere parameters merged in last (e.g. `safety_mode`, `documents`).
 */
export function buildCohereChatRequest(
  body: Record<string, unknown>,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  rejectUnknown(body, [
    "messages",
    "n",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "tools",
    "tool_choice",
    "response_format",
    "parallel_tool_calls",
  ]);
  if (body.parallel_tool_calls === false)
    throw errors.invalid("Cohere does not support turning off parallel tool calls (parallel_tool_calls: false).");
  const format = responseFormat(body.response_format);
  const out: Record<string, unknown> = {
    model,
    messages: convertToCohereMessages(body.messages as Parameters<typeof convertToCohereMessages>[0]),
    ...convertToCohereTools(body.tools as Parameters<typeof convertToCohereTools>[0], body.tool_choice),
    ...common(body),
    ...(format ? { response_format: format } : {}),
    stream,
  };
  return withExtraParams(out, body);
}

/**
 * llm/v1/completions: Cohere has no completions API any more (v2 serves chat only), so the prompt
 * is sent as one user message to `/v2/chat` and the answer's text becomes the completion.
 */
export function buildCohereCompletionsRequest(
  body: Record<string, unknown>,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  rejectUnknown(body, ["prompt", "n", "max_tokens", "max_completion_tokens", "stop"]);
  const prompt = body.prompt;
  const prompts = Array.isArray(prompt) ? prompt : [prompt];
  if (prompts.length !== 1)
    throw errors.invalid("Cohere serves completions through its chat API: give one prompt per request.");
  return withExtraParams(
    { model, messages: [{ role: "user", content: String(prompts[0]) }], ...common(body), stream },
    body,
  );
}

/** Cohere's embed API takes at most 96 texts per call; longer inputs are sent in several calls. */
const COHERE_EMBED_BATCH = 96;

/**
 * llm/v1/embeddings → bodies of `POST /v2/embed`, one per batch of 96 texts. `input_type` defaults
 * to `search_document` (override with `extra_params.input_type`); `dimensions` is `output_dimension`.
 */
/** Embeddings fields this provider reads (Databricks' own are recorded or merged, never sent as such). */
const EMBED_FIELDS = new Set([
  "input",
  "model",
  "dimensions",
  "encoding_format",
  "user",
  ...DATABRICKS_QUERY_EXTRA_FIELDS,
]);

export function buildCohereEmbedRequests(body: Record<string, unknown>, model: string): Record<string, unknown>[] {
  for (const key of Object.keys(body)) {
    if (body[key] === undefined || EMBED_FIELDS.has(key)) continue;
    throw errors.invalid(`Cohere embeddings do not support the parameter '${key}'.`);
  }
  const texts = typeof body.input === "string" ? [body.input] : (body.input as string[]);
  const batches: Record<string, unknown>[] = [];
  for (let i = 0; i < texts.length; i += COHERE_EMBED_BATCH) {
    const out: Record<string, unknown> = {
      model,
      texts: texts.slice(i, i + COHERE_EMBED_BATCH),
      input_type: "search_document",
      embedding_types: ["float"],
    };
    if (body.dimensions !== undefined) out.output_dimension = body.dimensions;
    batches.push(withExtraParams(out, body));
  }
  return batches;
}
