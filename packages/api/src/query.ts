import { z } from "zod";

/**
 * Query bodies of LLM endpoints (OpenAI-compatible). Objects are loose: provider-specific fields
 * (e.g. `top_k`, `extra_params`) pass through to the upstream, but the fields we know are type-checked.
 */
const contentPart = z.looseObject({ type: z.string() });
const messageContent = z.union([z.string(), z.array(contentPart), z.null()]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const chatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: messageContent.optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
});
export type ChatMessage = z.infer<typeof chatMessage>;

/**
 * Bounds of the query fields every usage record and payload log carries. Databricks publishes no size
 * limit for them that we could confirm; these keep a usage event far below a queue message's 128 KB.
 */
export const MAX_CLIENT_REQUEST_ID_LENGTH = 128;
export const MAX_USAGE_CONTEXT_BYTES = 10 * 1024;

const utf8 = new TextEncoder();

/** The query fields recorded with every query (usage records, payload logs), bounded as documented. */
const recordedQueryFields = {
  client_request_id: z
    .string()
    .max(MAX_CLIENT_REQUEST_ID_LENGTH, `must be at most ${MAX_CLIENT_REQUEST_ID_LENGTH} characters`)
    .optional(),
  usage_context: z
    .record(z.string(), z.unknown())
    .refine((context) => utf8.encode(JSON.stringify(context)).byteLength <= MAX_USAGE_CONTEXT_BYTES, {
      message: `must be at most ${MAX_USAGE_CONTEXT_BYTES} bytes as JSON`,
    })
    .describe(`Key-value pairs recorded with the query's usage; at most ${MAX_USAGE_CONTEXT_BYTES} bytes as JSON.`)
    .optional(),
};
/** Checks only the recorded fields of a query body (the scoring protocol of custom models ignores them otherwise). */
export const recordedQueryFieldsSchema = z.object(recordedQueryFields);
/** Their names: a query forwarded to another Databricks workspace drops these (it keeps extra_params). */
export const RECORDED_QUERY_FIELDS = Object.keys(recordedQueryFields);

/**
 * Fields Databricks adds to every query; recorded (or, for extra_params, merged) by the gateway, never sent
 * upstream as such. Every provider builder takes this list from here.
 */
export const databricksQueryExtras = {
  ...recordedQueryFields,
  extra_params: z.record(z.string(), z.unknown()).optional(),
};
export const DATABRICKS_QUERY_EXTRA_FIELDS = Object.keys(databricksQueryExtras);

const sampling = {
  model: z.string().optional(),
  max_tokens: z.number().int().min(1).optional(),
  max_completion_tokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  n: z.number().int().min(1).max(5).optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
};

export const chatRequest = z.looseObject({
  ...sampling,
  ...databricksQueryExtras,
  messages: z.array(chatMessage).min(1, "at least one message is required"),
  tools: z
    .array(z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string().min(1) }) }))
    .optional(),
  tool_choice: z
    .union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.literal("function") })])
    .optional(),
  response_format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional(),
});
export type ChatRequest = z.infer<typeof chatRequest>;

export const completionsRequest = z.looseObject({
  ...sampling,
  ...databricksQueryExtras,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
});

export const embeddingsRequest = z.looseObject({
  ...databricksQueryExtras,
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).optional(),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

export const usage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int().optional(),
  total_tokens: z.number().int(),
});

export const chatResponse = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: z.looseObject({
        role: z.literal("assistant"),
        content: z.string().nullable(),
        tool_calls: z.array(toolCall).optional(),
      }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: usage.optional(),
});

export const completionsResponse = z.looseObject({
  id: z.string(),
  object: z.literal("text_completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(z.looseObject({ index: z.number().int(), text: z.string(), finish_reason: z.string().nullable() })),
  usage: usage.optional(),
});

export const embeddingsResponse = z.looseObject({
  object: z.literal("list"),
  data: z.array(
    z.looseObject({ object: z.literal("embedding"), index: z.number().int(), embedding: z.array(z.number()) }),
  ),
  model: z.string(),
  usage: usage.optional(),
});

export const QUERY_SCHEMAS = {
  "llm/v1/chat": { request: chatRequest, response: chatResponse, path: "chat/completions" },
  "llm/v1/completions": { request: completionsRequest, response: completionsResponse, path: "completions" },
  "llm/v1/embeddings": { request: embeddingsRequest, response: embeddingsResponse, path: "embeddings" },
} as const;
