import { z } from "zod";

/** What the gateway reads of a Gemini API `batchEmbedContents` answer (chat answers: ../gemini). */
export const batchEmbedContentsResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});
export type BatchEmbedContentsResponse = z.infer<typeof batchEmbedContentsResponseSchema>;
