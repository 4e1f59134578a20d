import { z } from "zod";
import { byType } from "../shared/provider-json";

/**
 * What the gateway reads of Cohere's v2 answers (POST /v2/chat, /v2/embed, chat stream events): lenient schemas of
 * exactly those fields.
 */

const counts = z.looseObject({ input_tokens: z.number().optional(), output_tokens: z.number().optional() });
const cohereUsageSchema = z.looseObject({ billed_units: counts.nullish(), tokens: counts.nullish() });
export type CohereUsage = z.infer<typeof cohereUsageSchema>;

export const cohereChatResponseSchema = z.looseObject({
  id: z.string(),
  finish_reason: z.string().nullish(),
  message: z.looseObject({
    content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).nullish(),
    tool_plan: z.string().nullish(),
    tool_calls: z
      .array(
        z.looseObject({
          id: z.string(),
          function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
        }),
      )
      .nullish(),
  }),
  usage: cohereUsageSchema.nullish(),
});
export type CohereChatResponse = z.infer<typeof cohereChatResponseSchema>;

export const cohereEmbedResponseSchema = z.looseObject({
  embeddings: z.looseObject({ float: z.array(z.array(z.number())) }),
  meta: z.looseObject({ billed_units: z.looseObject({ input_tokens: z.number().optional() }).nullish() }).nullish(),
});
export type CohereEmbedResponse = z.infer<typeof cohereEmbedResponseSchema>;

const message = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject({ delta: z.looseObject({ message: z.looseObject(shape) }) });

/** The chat stream events the gateway reads, by type (content-start/-end, citations, debug… parse to null). */
const streamEvents = {
  "message-start": z.looseObject({}),
  "content-delta": message({ content: z.looseObject({ text: z.string().optional() }) }),
  "tool-plan-delta": message({ tool_plan: z.string() }),
  "tool-call-start": z.looseObject({ index: z.number().optional() }).and(
    message({
      tool_calls: z.looseObject({
        id: z.string(),
        function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
      }),
    }),
  ),
  "tool-call-delta": z
    .looseObject({ index: z.number().optional() })
    .and(message({ tool_calls: z.looseObject({ function: z.looseObject({ arguments: z.string().nullish() }) }) })),
  "tool-call-end": z.looseObject({ index: z.number().optional() }),
  "message-end": z.looseObject({
    delta: z.looseObject({ finish_reason: z.string().nullish(), usage: cohereUsageSchema.nullish() }).nullish(),
  }),
};
export const cohereStreamEventSchema = byType(streamEvents);
/** A checked stream event of a type the gateway reads. */
export type CohereStreamEvent = NonNullable<z.output<typeof cohereStreamEventSchema>>;
