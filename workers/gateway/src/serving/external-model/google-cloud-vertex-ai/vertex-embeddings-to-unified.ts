import { mapUpstreamError } from "../../upstream-errors";
import type { UnifiedEmbeddingsResponse } from "../shared/unified";

interface VertexPrediction {
  embeddings?: { values?: number[]; statistics?: { token_count?: number; truncated?: boolean } };
}

/** Vertex `predictions[].embeddings.values` → unified; prompt tokens are the sum of `statistics.token_count`. */
export function vertexEmbeddingsToUnified(response: { predictions?: VertexPrediction[] }, model: string): UnifiedEmbeddingsResponse {
  const predictions = response.predictions ?? [];
  let tokens = 0;
  let counted = predictions.length > 0;
  const embeddings = predictions.map((p) => {
    if (!Array.isArray(p.embeddings?.values)) throw mapUpstreamError(502, new Headers(), "a prediction without embeddings.values", "google-cloud-vertex-ai");
    const count = p.embeddings.statistics?.token_count;
    if (typeof count === "number") tokens += count;
    else counted = false;
    return p.embeddings.values;
  });
  return { model, embeddings, ...(counted ? { usage: { promptTokens: Math.round(tokens), completionTokens: 0 } } : {}) };
}
