import { z } from "zod";
import { byType } from "../shared/provider-json";

/**
 * What the gateway reads of the Messages API's answers (anthropic-version 2023-06-01): lenient
 * schemas of exactly those fields. Block and event types it does not read (thinking, citations,
 * server tools, types added later) parse to null and are skipped.
 */

const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

const anthropicResponseBlockSchema = byType({
  text: z.looseObject({ text: z.string() }),
  tool_use: z.looseObject({ id: z.string(), name: z.string(), input: z.unknown().optional() }),
});

export type AnthropicStopReason = string | null | undefined;

export const anthropicMessageResponseSchema = z.looseObject({
  id: z.string(),
  model: z.string().optional(),
  content: z.array(anthropicResponseBlockSchema),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema.extend({ input_tokens: z.number(), output_tokens: z.number() }).optional(),
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageResponseSchema>;

/** The stream events the gateway reads, by type (the SSE `event:` name is also the data's `type`). */
const streamEvents = {
  message_start: z.looseObject({ message: z.looseObject({ usage: anthropicUsageSchema.optional() }) }),
  content_block_start: z.looseObject({ index: z.number(), content_block: anthropicResponseBlockSchema }),
  content_block_delta: z.looseObject({
    index: z.number(),
    delta: byType({
      text_delta: z.looseObject({ text: z.string() }),
      input_json_delta: z.looseObject({ partial_json: z.string() }),
    }),
  }),
  content_block_stop: z.looseObject({ index: z.number() }),
  message_delta: z.looseObject({
    delta: z.looseObject({ stop_reason: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  message_stop: z.looseObject({}),
  error: z.looseObject({ error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }) }),
};
export const anthropicStreamEventSchema = byType(streamEvents);
