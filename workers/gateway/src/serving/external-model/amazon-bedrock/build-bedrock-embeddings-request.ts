import { DATABRICKS_QUERY_EXTRA_FIELDS, errors } from "@edgeserve/api";
import { parseProviderValue } from "../shared/provider-json";
import { bedrockCohereEmbeddingResponseSchema, titanEmbeddingResponseSchema } from "./bedrock-response-schema";
import type { UnifiedEmbeddingsResponse } from "../shared/unified";
import type { BedrockProvider } from "./build-converse-request";

/** The model families with embedding models on Bedrock. */
export const BEDROCK_EMBEDDING_PROVIDERS: readonly BedrockProvider[] = ["amazon", "cohere"];

/** Cohere's embed models on Bedrock take at most 96 texts per call. */
const BEDROCK_COHERE_EMBED_BATCH = 96;

/** Embeddings fields this provider reads (Databricks' own are recorded or merged, never sent as such). */
const EMBED_FIELDS = new Set([
  "input",
  "model",
  "dimensions",
  "encoding_format",
  "user",
  ...DATABRICKS_QUERY_EXTRA_FIELDS,
]);

/**
 * llm/v1/embeddings → InvokeModel bodies in the format of the model family. Amazon Titan embeds one
 * text per call (`{inputText}`); Cohere takes `{texts, input_type}` in batches of 96. Anthropic and
 * AI21 Labs have no embedding models on Bedrock.
 */
export function buildBedrockEmbeddingsRequests(
  body: Record<string, unknown>,
  provider: BedrockProvider,
): Record<string, unknown>[] {
  for (const key of Object.keys(body)) {
    if (body[key] === undefined || EMBED_FIELDS.has(key)) continue;
    throw errors.invalid(`Amazon Bedrock embeddings do not support the parameter '${key}'.`);
  }
  const texts = typeof body.input === "string" ? [body.input] : (body.input as string[]);
  const extra =
    body.extra_params && typeof body.extra_params === "object" ? (body.extra_params as Record<string, unknown>) : {};
  switch (provider) {
    case "amazon":
      return texts.map((inputText) => ({
        inputText,
        ...(body.dimensions !== undefined ? { dimensions: body.dimensions } : {}),
        ...extra,
      }));
    case "cohere": {
      if (body.dimensions !== undefined)
        throw errors.invalid("Cohere embeddings on Amazon Bedrock do not support 'dimensions'.");
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < texts.length; i += BEDROCK_COHERE_EMBED_BATCH)
        out.push({ texts: texts.slice(i, i + BEDROCK_COHERE_EMBED_BATCH), input_type: "search_document", ...extra });
      return out;
    }
    default:
      throw errors.invalid(
        `Amazon Bedrock has no embedding models for bedrock_provider '${provider}' (use 'amazon' or 'cohere').`,
      );
  }
}

/**
 * InvokeModel answers (in request order) → unified. Titan reports `inputTextTokenCount` per text;
 * Cohere on Bedrock reports no counts, so its usage is left for the caller to estimate.
 */
export function bedrockEmbeddingsToUnified(
  responses: readonly unknown[],
  provider: BedrockProvider,
  model: string,
): UnifiedEmbeddingsResponse {
  if (provider === "amazon") {
    let tokens = 0;
    const embeddings = responses.map((r) => {
      const titan = parseProviderValue(titanEmbeddingResponseSchema, r, "amazon-bedrock", "an embeddings response");
      tokens += titan.inputTextTokenCount ?? 0;
      return titan.embedding;
    });
    return { model, embeddings, usage: { promptTokens: tokens, completionTokens: 0 } };
  }
  const embeddings: number[][] = [];
  for (const r of responses) {
    const e = parseProviderValue(
      bedrockCohereEmbeddingResponseSchema,
      r,
      "amazon-bedrock",
      "an embeddings response",
    ).embeddings;
    embeddings.push(...(Array.isArray(e) ? e : e.float));
  }
  return { model, embeddings };
}
