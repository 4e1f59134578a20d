import { ApiError } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { type EntityCheck, type Say, cannotServe } from "../../endpoints/entity-check";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import type { Env } from "../../env";
import { filesToLoad } from "./files-to-load";
import { inferenceLimits } from "./inference-limits";
import { pinModelVersion } from "./pinned-model";

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes < MIB ? `${bytes} bytes` : `${(bytes / MIB).toFixed(1)} MiB`);

/**
 * The deployment check of a registry entity (`entity_name` + `entity_version`): the version exists and
 * has a valid MLmodel with a flavor the inference worker runs, the worker is bound, and the files it
 * would load are in R2 and fit its memory budget. The entity goes live with that version pinned.
 */
export async function checkCustomModel(
  db: Database,
  env: Env,
  entity: StoredServedEntity,
  say: Say,
): Promise<EntityCheck> {
  const wanted = entity.entity_version ? `version '${entity.entity_version}'` : "(latest version)";
  say(`Resolving registered model '${entity.entity_name}' ${wanted} in the model registry.`);
  let pinned: Awaited<ReturnType<typeof pinModelVersion>>;
  try {
    pinned = await pinModelVersion(db, env.ARTIFACTS, entity.entity_name!, entity.entity_version, say);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return cannotServe(say, `Cannot serve '${entity.entity_name}' ${wanted}: ${e.message}`);
  }
  const label = `Model '${pinned.name}' version ${pinned.version}`;
  if (!env.INFERENCE)
    return cannotServe(
      say,
      `${label} cannot be served: the gateway has no INFERENCE service binding, the inference worker that runs registry models (wrangler.toml [[services]]).`,
    );
  let needed: Awaited<ReturnType<typeof filesToLoad>>;
  try {
    needed = await filesToLoad(env.ARTIFACTS, pinned.ref);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return cannotServe(say, `${label} cannot be served: ${e.message}`);
  }
  if (needed.files === 0)
    return cannotServe(
      say,
      `${label} has no files for its ${pinned.ref.flavor} flavor in R2; upload the whole MLflow model directory (infra/publish-model.mjs).`,
    );
  const { modelMemoryBytes } = await inferenceLimits(env.INFERENCE);
  if (needed.bytes > modelMemoryBytes)
    return cannotServe(
      say,
      `${label} needs ${size(needed.bytes)} of model files (${pinned.ref.flavor} flavor), more than the inference worker's memory budget of ${size(modelMemoryBytes)} (EDGESERVE_INFERENCE_CACHE_MB); serve a smaller (e.g. quantized) model.`,
    );
  say(
    `Runs with the ${pinned.ref.flavor} flavor: ${needed.files} file(s), ${size(needed.bytes)}, within the inference worker's memory budget of ${size(modelMemoryBytes)}.`,
  );
  return { ready: { ...entity, pinned_model: pinned } };
}
