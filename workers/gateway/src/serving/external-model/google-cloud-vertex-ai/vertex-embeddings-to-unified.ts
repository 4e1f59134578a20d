import type { UnifiedEmbeddingsResponse } from "../shared/unified";
import type { VertexEmbeddingsResponse } from "./vertex-response-schema";

/** Vertex `predictions[].embeddings.values` → unified; prompt tokens are the sum of `statistics.token_count`. */
export function vertexEmbeddingsToUnified(
  response: VertexEmbeddingsResponse,
  model: string,
): UnifiedEmbeddingsResponse {
  const predictions = response.predictions;
  let tokens = 0;
  let counted = predictions.length > 0;
  const embeddings = predictions.map((p) => {
    const count = p.embeddings.statistics?.token_count;
    if (typeof count === "number") tokens += count;
    else counted = false;
    return p.embeddings.values;
  });
  return {
    model,
    embeddings,
    ...(counted ? { usage: { promptTokens: Math.round(tokens), completionTokens: 0 } } : {}),
  };
}
