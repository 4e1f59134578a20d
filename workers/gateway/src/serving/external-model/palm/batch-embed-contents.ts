import { DATABRICKS_QUERY_EXTRA_FIELDS, type EmbeddingsRequest, errors } from "@edgeserve/api";
import type { BatchEmbedContentsResponse } from "./palm-response-schema";
import { providerFormatError } from "../shared/provider-json";

/** The Gemini API takes at most 100 texts per batchEmbedContents call. */
const BATCH_LIMIT = 100;
/** `user` (an end-user id that changes no answer) is accepted and not sent: the Gemini API has no field for it. */
const ENVELOPE = new Set(["model", "input", "dimensions", "encoding_format", "user", ...DATABRICKS_QUERY_EXTRA_FIELDS]);
/** Per-text fields of an EmbedContentRequest that `extra_params` may set. */
const REQUEST_FIELDS = new Set(["taskType", "title"]);

export interface BatchEmbedContentsRequest {
  requests: {
    model: string;
    content: { parts: { text: string }[] };
    outputDimensionality?: number;
    taskType?: string;
    title?: string;
  }[];
}

/**
 * OpenAI embeddings body → Gemini API `batchEmbedContents` bodies (one per 100 inputs): each text is
 * an EmbedContentRequest naming `models/{model}`; `dimensions` → `outputDimensionality`;
 * `extra_params.taskType` / `title` apply to every text.
 */
export function buildBatchEmbedContents(body: EmbeddingsRequest, model: string): BatchEmbedContentsRequest[] {
  for (const key of Object.keys(body))
    if (!ENVELOPE.has(key)) throw errors.invalid(`palm does not support the field '${key}' for embeddings.`);
  const extra = body.extra_params ?? {};
  for (const key of Object.keys(extra))
    if (!REQUEST_FIELDS.has(key))
      throw errors.invalid(`palm does not support extra_params.${key} for embeddings (only taskType and title).`);
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  const requests = inputs.map((text) => ({
    model: `models/${model}`,
    content: { parts: [{ text }] },
    ...(body.dimensions !== undefined ? { outputDimensionality: body.dimensions } : {}),
    ...extra,
  }));
  const batches: BatchEmbedContentsRequest[] = [];
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) batches.push({ requests: requests.slice(i, i + BATCH_LIMIT) });
  return batches;
}

/** `{"embeddings":[{"values":[…]}]}` → the vectors (the Gemini API reports no token counts here). */
export function batchEmbedContentsVectors(response: BatchEmbedContentsResponse, expected: number): number[][] {
  if (response.embeddings.length !== expected)
    throw providerFormatError(
      "palm",
      "an embeddings response",
      `expected ${expected} embeddings, got ${response.embeddings.length}`,
    );
  return response.embeddings.map((e) => e.values);
}
