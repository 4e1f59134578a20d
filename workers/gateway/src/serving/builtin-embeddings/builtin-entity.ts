import type { Task } from "@edgeserve/api";

/**
 * The built-in sentence encoder as a served entity: Universal Sentence Encoder lite (512-dim), run inside
 * the inference worker. Named like Databricks' system models: `entity_name: "system.ai.universal_sentence_encoder"`.
 */
export const BUILTIN_EMBEDDINGS_ENTITY = "system.ai.universal_sentence_encoder";
const BUILTIN_EMBEDDINGS_VERSIONS = ["1"] as const;
export const BUILTIN_EMBEDDINGS_TASK: Task = "llm/v1/embeddings";
/** Width of every vector; OpenAI's `dimensions` may ask only for this. */
export const BUILTIN_EMBEDDINGS_DIMENSIONS = 512;

export function isBuiltinEmbeddingsEntity(entity: { entity_name?: string; external_model?: unknown }): boolean {
  return !entity.external_model && entity.entity_name === BUILTIN_EMBEDDINGS_ENTITY;
}

/** Why this built-in entity cannot be deployed (an unknown version), or null when it can. */
export function builtinEmbeddingsProblem(entity: { entity_version?: string }): string | null {
  const version = entity.entity_version ?? "1";
  if ((BUILTIN_EMBEDDINGS_VERSIONS as readonly string[]).includes(version)) return null;
  return (
    `'${BUILTIN_EMBEDDINGS_ENTITY}' has no version '${version}'; ` +
    `available: ${BUILTIN_EMBEDDINGS_VERSIONS.join(", ")}.`
  );
}

/** The task of an endpoint that serves only the built-in encoder, else null. */
export function builtinEmbeddingsTaskOf(
  entities: readonly { entity_name?: string; external_model?: unknown }[],
): Task | null {
  return entities.length > 0 && entities.every(isBuiltinEmbeddingsEntity) ? BUILTIN_EMBEDDINGS_TASK : null;
}
