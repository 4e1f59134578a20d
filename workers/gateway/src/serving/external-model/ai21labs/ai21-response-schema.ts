import { z } from "zod";

/** What the gateway reads of AI21 Studio's chat answers and stream chunks: lenient schemas of exactly those fields. */

const ai21UsageSchema = z.looseObject({ prompt_tokens: z.number(), completion_tokens: z.number().optional() });
export type Ai21Usage = z.infer<typeof ai21UsageSchema>;

/** `arguments` is a JSON string; the docs also show it as an object, which is accepted. */
const toolArguments = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const ai21ChatResponseSchema = z.looseObject({
  id: z.string(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      message: z.looseObject({
        content: z.string().nullish(),
        tool_calls: z
          .array(
            z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: toolArguments }) }),
          )
          .nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: ai21UsageSchema.nullish(),
});
export type Ai21ChatResponse = z.infer<typeof ai21ChatResponseSchema>;

export const ai21ChatChunkSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        delta: z
          .looseObject({
            role: z.string().nullish(),
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.looseObject({
                  index: z.number().optional(),
                  id: z.string().optional(),
                  function: z
                    .looseObject({ name: z.string().optional(), arguments: toolArguments.optional() })
                    .optional(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: ai21UsageSchema.nullish(),
  /** How AI21 reports a failure mid-stream. */
  detail: z.unknown().optional(),
});
export type Ai21ChatChunk = z.infer<typeof ai21ChatChunkSchema>;
