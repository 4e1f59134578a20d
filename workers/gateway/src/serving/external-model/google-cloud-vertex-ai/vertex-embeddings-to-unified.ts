import { z } from "zod";
import type { UnifiedEmbeddingsResponse } from "../shared/unified";

/** What the gateway reads of a Vertex text-embeddings `:predict` answer. */
export const vertexEmbeddingsResponseSchema = z.looseObject({
  predictions: z.array(
    z.looseObject({ embeddings: z.looseObject({ values: z.array(z.number()), statistics: z.looseObject({ token_count: z.number().optional() }).optional() }) }),
  ),
});
export type VertexEmbeddingsResponse = z.infer<typeof vertexEmbeddingsResponseSchema>;

/** Vertex `predictions[].embeddings.values` → unified; prompt tokens are the sum of `statistics.token_count`. */
export function vertexEmbeddingsToUnified(response: VertexEmbeddingsResponse, model: string): UnifiedEmbeddingsResponse {
  const predictions = response.predictions;
  let tokens = 0;
  let counted = predictions.length > 0;
  const embeddings = predictions.map((p) => {
    const count = p.embeddings.statistics?.token_count;
    if (typeof count === "number") tokens += count;
    else counted = false;
    return p.embeddings.values;
  });
  return { model, embeddings, ...(counted ? { usage: { promptTokens: Math.round(tokens), completionTokens: 0 } } : {}) };
}
