import { z } from "zod";

/** What the gateway reads of a Vertex text-embeddings `:predict` answer (chat answers: ../gemini). */
export const vertexEmbeddingsResponseSchema = z.looseObject({
  predictions: z.array(
    z.looseObject({
      embeddings: z.looseObject({
        values: z.array(z.number()),
        statistics: z.looseObject({ token_count: z.number().optional() }).optional(),
      }),
    }),
  ),
});
export type VertexEmbeddingsResponse = z.infer<typeof vertexEmbeddingsResponseSchema>;
