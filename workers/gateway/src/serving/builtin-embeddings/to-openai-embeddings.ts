import type { EmbedResponse } from "@edgeserve/mlflow/inference-protocol";
import { withEncodingFormat } from "../external-model/shared/embeddings-encoding";
import { toOpenAiEmbeddings } from "../external-model/shared/openai-format";

/** The inference worker's EmbedResponse → OpenAI's embeddings body (base64 vectors when asked). */
export function toOpenAiEmbeddingsBody(response: EmbedResponse, encodingFormat: unknown) {
  const body = toOpenAiEmbeddings({
    model: response.model,
    embeddings: response.embeddings,
    usage: { promptTokens: response.tokens, completionTokens: 0 },
  });
  return withEncodingFormat(body, encodingFormat);
}
