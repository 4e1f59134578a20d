import { ApiError, errors } from "@edgeserve/api";
import type { UnifiedEmbeddingsResponse } from "../shared/unified";
import type { BedrockProvider } from "./build-converse-request";

/** The model families with embedding models on Bedrock. */
export const BEDROCK_EMBEDDING_PROVIDERS: readonly BedrockProvider[] = ["amazon", "cohere"];

/** Cohere's embed models on Bedrock take at most 96 texts per call. */
export const BEDROCK_COHERE_EMBED_BATCH = 96;

/**
 * llm/v1/embeddings → InvokeModel bodies in the format of the model family. Amazon Titan embeds one
 * text per call (`{inputText}`); Cohere takes `{texts, input_type}` in batches of 96. Anthropic and
 * AI21 Labs have no embedding models on Bedrock.
 */
export function buildBedrockEmbeddingsRequests(body: Record<string, unknown>, provider: BedrockProvider): Record<string, unknown>[] {
  for (const key of Object.keys(body)) {
    if (body[key] === undefined || ["input", "model", "dimensions", "encoding_format", "user", "client_request_id", "usage_context", "extra_params"].includes(key)) continue;
    throw errors.invalid(`Amazon Bedrock embeddings do not support the parameter '${key}'.`);
  }
  const texts = typeof body.input === "string" ? [body.input] : (body.input as string[]);
  const extra = body.extra_params && typeof body.extra_params === "object" ? (body.extra_params as Record<string, unknown>) : {};
  switch (provider) {
    case "amazon":
      return texts.map((inputText) => ({ inputText, ...(body.dimensions !== undefined ? { dimensions: body.dimensions } : {}), ...extra }));
    case "cohere": {
      if (body.dimensions !== undefined) throw errors.invalid("Cohere embeddings on Amazon Bedrock do not support 'dimensions'.");
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < texts.length; i += BEDROCK_COHERE_EMBED_BATCH)
        out.push({ texts: texts.slice(i, i + BEDROCK_COHERE_EMBED_BATCH), input_type: "search_document", ...extra });
      return out;
    }
    default:
      throw errors.invalid(`Amazon Bedrock has no embedding models for bedrock_provider '${provider}' (use 'amazon' or 'cohere').`);
  }
}

export interface TitanEmbeddingResponse {
  embedding: number[];
  inputTextTokenCount?: number;
}
export interface BedrockCohereEmbeddingResponse {
  embeddings: number[][] | { float?: number[][] };
}

/**
 * InvokeModel answers (in request order) → unified. Titan reports `inputTextTokenCount` per text;
 * Cohere on Bedrock reports no counts, so its usage is left for the caller to estimate.
 */
export function bedrockEmbeddingsToUnified(responses: readonly unknown[], provider: BedrockProvider, model: string): UnifiedEmbeddingsResponse {
  const bad = () => new ApiError("BAD_GATEWAY", "The provider 'amazon-bedrock' answered without embeddings.", { status: 502 });
  if (provider === "amazon") {
    let tokens = 0;
    const embeddings = responses.map((r) => {
      const t = r as TitanEmbeddingResponse;
      if (!Array.isArray(t?.embedding)) throw bad();
      tokens += t.inputTextTokenCount ?? 0;
      return t.embedding;
    });
    return { model, embeddings, usage: { promptTokens: tokens, completionTokens: 0 } };
  }
  const embeddings: number[][] = [];
  for (const r of responses) {
    const e = (r as BedrockCohereEmbeddingResponse)?.embeddings;
    const list = Array.isArray(e) ? e : e?.float;
    if (!list) throw bad();
    embeddings.push(...list);
  }
  return { model, embeddings };
}
