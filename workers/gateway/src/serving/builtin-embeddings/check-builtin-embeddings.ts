import { BUILTIN_EMBEDDINGS_ENTITY, builtinEmbeddingsProblem } from "./builtin-entity";

/** Where infra/local-stack.mjs and infra/deploy.mjs put the encoder's files in R2 (ARTIFACTS). */
export const BUILTIN_EMBEDDINGS_MODEL_JSON = "builtin/universal-sentence-encoder/model.json";

type Say = (message: string, level?: "INFO" | "WARN" | "ERROR") => void;

/**
 * The deployment check of a built-in embeddings entity: an unknown version fails it; a missing inference
 * binding or missing model files only warn, since queries then answer 503 until they are there.
 */
export async function checkBuiltinEmbeddings(
  entity: { entity_version?: string },
  env: { ARTIFACTS: R2Bucket; INFERENCE?: Fetcher },
  say: Say,
): Promise<string | null> {
  const problem = builtinEmbeddingsProblem(entity);
  if (problem) {
    say(problem, "ERROR");
    return problem;
  }
  say(`Deploying built-in model '${BUILTIN_EMBEDDINGS_ENTITY}' version ${entity.entity_version ?? "1"} (Universal Sentence Encoder lite, 512 dimensions) for task llm/v1/embeddings.`);
  if (!env.INFERENCE) say("The gateway has no INFERENCE service binding: queries will answer 503 until the inference worker is bound.", "WARN");
  if (!(await env.ARTIFACTS.head(BUILTIN_EMBEDDINGS_MODEL_JSON)))
    say(`The model files are not in R2 (${BUILTIN_EMBEDDINGS_MODEL_JSON}): queries will answer 503 until they are uploaded.`, "WARN");
  say("Served entity is ready.");
  return null;
}
