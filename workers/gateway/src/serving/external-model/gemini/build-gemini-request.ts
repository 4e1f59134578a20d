import { DATABRICKS_QUERY_EXTRA_FIELDS, errors, type Task } from "@edgeserve/api";
import { convertJsonSchemaToGeminiSchema } from "./convert-json-schema-to-gemini-schema";
import { convertToGeminiContents } from "./convert-to-gemini-contents";
import { convertToGeminiTools } from "./convert-to-gemini-tools";
import type { GeminiGenerationConfig, GeminiRequest } from "./gemini-types";

/**
 * Request fields used without being sent as such: `model` (the endpoint's name; the external model
 * names the upstream one), `stream` (picks streamGenerateContent), `stream_options` (the gateway's
 * usage chunk), Databricks' own fields (recorded, never sent upstream; `extra_params` is merged into the
 * Gemini request) and `user` (an end-user id that changes no answer; Gemini has no field for it, and the
 * Anthropic ingress sends it for every Claude client).
 */
const ENVELOPE = new Set(["model", "stream", "stream_options", "user", ...DATABRICKS_QUERY_EXTRA_FIELDS]);
const CHAT_FIELDS = new Set([
  "messages",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "temperature",
  "top_p",
  "top_k",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "seed",
]);
const COMPLETION_FIELDS = new Set([
  "prompt",
  "temperature",
  "top_p",
  "top_k",
  "max_tokens",
  "stop",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "seed",
]);

/**
 * The fields this builder reads, as the task's request schema (QUERY_SCHEMAS) let them through; any other
 * field is refused below. The penalties and `seed` are not checked here: Gemini checks them and says why.
 */
export interface GeminiQueryBody {
  messages?: Parameters<typeof convertToGeminiContents>[0];
  prompt?: string | string[];
  tools?: Parameters<typeof convertToGeminiTools>[0];
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
  response_format?: { type: string; json_schema?: { schema?: unknown; [field: string]: unknown } };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  n?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  extra_params?: Record<string, unknown>;
  [field: string]: unknown;
}

function generationConfig(body: GeminiQueryBody, provider: string): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (body.temperature !== undefined) config.temperature = body.temperature;
  if (body.top_p !== undefined) config.topP = body.top_p;
  if (body.top_k !== undefined) config.topK = body.top_k;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (body.stop !== undefined) config.stopSequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.n !== undefined) config.candidateCount = body.n;
  if (body.presence_penalty !== undefined) config.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty !== undefined) config.frequencyPenalty = body.frequency_penalty;
  if (body.seed !== undefined) config.seed = body.seed;
  const format = body.response_format;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    const schema = convertJsonSchemaToGeminiSchema(
      format.json_schema?.schema,
      provider,
      "response_format.json_schema.schema",
    );
    if (schema) config.responseSchema = schema;
  }
  return config;
}

/**
 * `extra_params` are Gemini request fields (e.g. `safetySettings`, `labels`); its `generationConfig` merges with ours.
 */
function mergeExtraParams(request: GeminiRequest, extra: unknown): GeminiRequest {
  if (!extra || typeof extra !== "object") return request;
  const { generationConfig: extraConfig, ...rest } = extra as Record<string, unknown>;
  for (const key of ["contents", "systemInstruction", "system_instruction", "tools", "toolConfig", "tool_config"])
    if (key in rest)
      throw errors.invalid(`extra_params.${key} cannot be set: it comes from the request's messages and tools.`);
  const merged: GeminiRequest = { ...request, ...rest };
  if (extraConfig && typeof extraConfig === "object")
    merged.generationConfig = { ...request.generationConfig, ...(extraConfig as GeminiGenerationConfig) };
  return merged;
}

/**
 * An OpenAI-format chat or completions body → a Gemini `generateContent` request. Gemini has no
 * completions API: a completions `prompt` is sent as one user turn and the answer returned as text.
 * OpenAI fields Gemini cannot honour are a 400 naming the field, never dropped.
 */
export function buildGeminiRequest(task: Task, body: GeminiQueryBody, provider: string): GeminiRequest {
  const allowed = task === "llm/v1/chat" ? CHAT_FIELDS : COMPLETION_FIELDS;
  for (const key of Object.keys(body))
    if (!ENVELOPE.has(key) && !allowed.has(key))
      throw errors.invalid(
        `${provider} does not support the field '${key}'${task === "llm/v1/completions" ? " for completions" : ""}.`,
      );
  if (body.parallel_tool_calls === false)
    throw errors.invalid(
      `${provider} does not support parallel_tool_calls: false (Gemini may always call several functions at once).`,
    );

  let request: GeminiRequest;
  if (task === "llm/v1/chat") {
    request = {
      ...convertToGeminiContents(body.messages ?? [], provider),
      ...convertToGeminiTools(body.tools, body.tool_choice, provider),
    };
  } else {
    const prompts = typeof body.prompt === "string" ? [body.prompt] : (body.prompt ?? []);
    if (prompts.length !== 1)
      throw errors.invalid(
        `${provider} does not support several prompts in one completions request; send one prompt per request.`,
      );
    request = { contents: [{ role: "user", parts: [{ text: prompts[0]! }] }] };
  }
  const config = generationConfig(body, provider);
  if (Object.keys(config).length) request.generationConfig = config;
  return mergeExtraParams(request, body.extra_params);
}
