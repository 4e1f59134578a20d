import { type EntityCheck, type Say, cannotServe } from "../../endpoints/entity-check";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import { BUILTIN_EMBEDDINGS_ENTITY, builtinEmbeddingsProblem } from "./builtin-entity";

/** Where infra/local-stack.mjs and infra/deploy.mjs put the encoder's files in R2 (ARTIFACTS). */
export const BUILTIN_EMBEDDINGS_MODEL_JSON = "builtin/universal-sentence-encoder/model.json";

/**
 * The deployment check of a built-in embeddings entity: a known version, the inference worker bound,
 * and the encoder's files in R2; without any of them every query would fail, so the deployment does.
 */
export async function checkBuiltinEmbeddings(
  entity: StoredServedEntity,
  env: { ARTIFACTS: R2Bucket; INFERENCE?: Fetcher },
  say: Say,
): Promise<EntityCheck> {
  const problem = builtinEmbeddingsProblem(entity);
  if (problem) return cannotServe(say, problem);
  say(
    `Deploying built-in model '${BUILTIN_EMBEDDINGS_ENTITY}' version ${entity.entity_version ?? "1"} ` +
      `(Universal Sentence Encoder lite, 512 dimensions) for task llm/v1/embeddings.`,
  );
  if (!env.INFERENCE)
    return cannotServe(
      say,
      "The gateway has no INFERENCE service binding, the inference " +
        "worker that runs the encoder (wrangler.toml [[services]]).",
    );
  if (!(await env.ARTIFACTS.head(BUILTIN_EMBEDDINGS_MODEL_JSON)))
    return cannotServe(
      say,
      `The encoder's files are not in R2 (${BUILTIN_EMBEDDINGS_MODEL_JSON}); ` +
        `infra/deploy.mjs and the local stack upload them ` +
        `(infra/builtin-models.mjs). Update the config once they are there.`,
    );
  return { ready: entity };
}
