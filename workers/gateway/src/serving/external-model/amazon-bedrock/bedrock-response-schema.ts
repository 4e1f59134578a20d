import { z } from "zod";

/**
 * What the gateway reads of Amazon Bedrock's answers (Converse, ConverseStream payloads, InvokeModel embeddings):
 * lenient schemas of exactly those fields.
 */

const converseUsageSchema = z.looseObject({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
});
export type ConverseUsage = z.infer<typeof converseUsageSchema>;

export const converseResponseSchema = z.looseObject({
  output: z.looseObject({
    message: z
      .looseObject({
        content: z.array(
          z.looseObject({
            text: z.string().optional(),
            toolUse: z
              .looseObject({ toolUseId: z.string(), name: z.string(), input: z.unknown().optional() })
              .optional(),
          }),
        ),
      })
      .optional(),
  }),
  stopReason: z.string().nullish(),
  usage: converseUsageSchema.optional(),
});
export type ConverseResponse = z.infer<typeof converseResponseSchema>;

/** ConverseStream payloads the gateway reads, by `:event-type` (contentBlockStop, reasoning… are not read). */
export const converseStreamPayloads = {
  messageStart: z.looseObject({}),
  contentBlockStart: z.looseObject({
    contentBlockIndex: z.number().optional(),
    start: z.looseObject({ toolUse: z.looseObject({ toolUseId: z.string(), name: z.string() }).optional() }).optional(),
  }),
  contentBlockDelta: z.looseObject({
    contentBlockIndex: z.number().optional(),
    delta: z.looseObject({
      text: z.string().optional(),
      toolUse: z.looseObject({ input: z.string().optional() }).optional(),
    }),
  }),
  messageStop: z.looseObject({ stopReason: z.string().nullish() }),
  metadata: z.looseObject({ usage: converseUsageSchema.optional() }),
};

/** InvokeModel answers of the embedding families: Amazon Titan (one text per call) and Cohere (a batch). */
export const titanEmbeddingResponseSchema = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});
export const bedrockCohereEmbeddingResponseSchema = z.looseObject({
  embeddings: z.union([z.array(z.array(z.number())), z.looseObject({ float: z.array(z.array(z.number())) })]),
});
