import { DATABRICKS_QUERY_EXTRA_FIELDS, type EmbeddingsRequest, errors } from "@edgeserve/api";

/** `user` (an end-user id that changes no answer) is accepted and not sent: Vertex has no field for it. */
const ENVELOPE = new Set(["model", "input", "dimensions", "encoding_format", "user", ...DATABRICKS_QUERY_EXTRA_FIELDS]);
/** Vertex instance fields that `extra_params` may set for every input. */
const INSTANCE_FIELDS = new Set(["task_type", "title"]);

export interface VertexEmbeddingsRequest {
  instances: { content: string; task_type?: string; title?: string }[];
  parameters?: Record<string, unknown>;
}

/**
 * OpenAI embeddings body → Vertex `:predict` for text-embedding models: one instance per input,
 * `dimensions` → `parameters.outputDimensionality`. `extra_params.task_type` / `title` go into each
 * instance, any other `extra_params` (e.g. `autoTruncate`) into `parameters`.
 */
export function buildVertexEmbeddingsRequest(body: EmbeddingsRequest): VertexEmbeddingsRequest {
  for (const key of Object.keys(body))
    if (!ENVELOPE.has(key))
      throw errors.invalid(`google-cloud-vertex-ai does not support the field '${key}' for embeddings.`);
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  const extra = body.extra_params ?? {};
  const perInstance: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) (INSTANCE_FIELDS.has(k) ? perInstance : parameters)[k] = v;
  if (body.dimensions !== undefined) parameters.outputDimensionality = body.dimensions;
  return {
    instances: inputs.map((content) => ({ content, ...perInstance })),
    ...(Object.keys(parameters).length ? { parameters } : {}),
  };
}
