import { ApiError } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { type EntityCheck, type Say, cannotServe } from "../../endpoints/entity-check";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import type { Env } from "../../env";
import { placeOnModelServer } from "../../model-servers/place-on-model-server";
import { filesToLoad } from "./files-to-load";
import { inferenceLimits } from "./inference-limits";
import { type InWorkerModel, type ResolvedVersion, pinInWorker, resolveVersion } from "./pinned-model";

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes < MIB ? `${bytes} bytes` : `${(bytes / MIB).toFixed(1)} MiB`);

/**
 * The deployment check of a registry entity (`entity_name` + `entity_version`): the version exists and has a
 * valid MLmodel. It runs in the inference worker when a flavor runs there, the worker is bound, and the files
 * it would load are in R2 and fit its memory budget; otherwise, or when its `workload_type` asks for a GPU, on
 * a registered model server for that workload type (model-servers/). The entity goes live with the version
 * and the place pinned; when neither can serve it, the deployment fails saying why.
 */
export async function checkCustomModel(
  db: Database,
  env: Env,
  entity: StoredServedEntity,
  say: Say,
): Promise<EntityCheck> {
  const wanted = entity.entity_version ? `version '${entity.entity_version}'` : "(latest version)";
  say(`Resolving registered model '${entity.entity_name}' ${wanted} in the model registry.`);
  let resolved: ResolvedVersion;
  try {
    resolved = await resolveVersion(db, env.ARTIFACTS, entity.entity_name!, entity.entity_version, say);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return cannotServe(say, `Cannot serve '${entity.entity_name}' ${wanted}: ${e.message}`);
  }
  const label = `Model '${resolved.name}' version ${resolved.version}`;
  const workloadType = entity.workload_type ?? "CPU";
  let whyNotInWorker: string;
  if (workloadType.startsWith("CPU")) {
    const inWorker = await checkInWorker(env, resolved, label, say);
    if ("pinned" in inWorker) return { ready: { ...entity, pinned_model: inWorker.pinned } };
    whyNotInWorker = inWorker.reason;
  } else {
    whyNotInWorker = `${label} asks for workload type ${workloadType}; the inference worker has no GPU.`;
  }
  const placed = await placeOnModelServer(db, env, resolved, workloadType, whyNotInWorker, say);
  if ("problem" in placed) return cannotServe(say, placed.problem);
  return { ready: { ...entity, pinned_model: placed.pinned } };
}

/**
 * Whether the inference worker runs the version (a flavor it runs, its files in R2 within the memory budget), or
 * why not.
 */
async function checkInWorker(
  env: Env,
  resolved: ResolvedVersion,
  label: string,
  say: Say,
): Promise<{ pinned: InWorkerModel } | { reason: string }> {
  let pinned: InWorkerModel;
  try {
    pinned = pinInWorker(resolved);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { reason: e.message };
  }
  if (!env.INFERENCE)
    return {
      reason:
        `${label} cannot be served: the gateway has no INFERENCE service binding, the inference worker that runs ` +
        "registry models (wrangler.toml [[services]]).",
    };
  let needed: Awaited<ReturnType<typeof filesToLoad>>;
  try {
    needed = await filesToLoad(env.ARTIFACTS, pinned.ref);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { reason: `${label} cannot be served: ${e.message}` };
  }
  if (needed.files === 0)
    return {
      reason:
        `${label} has no files for its ${pinned.ref.flavor} flavor in R2; upload the whole MLflow model directory ` +
        "(infra/publish-model.mjs).",
    };
  const { modelMemoryBytes } = await inferenceLimits(env.INFERENCE);
  if (needed.bytes > modelMemoryBytes)
    return {
      reason:
        `${label} needs ${size(needed.bytes)} of model files (${pinned.ref.flavor} flavor), more than the inference ` +
        `worker's memory budget of ${size(modelMemoryBytes)} (EDGESERVE_INFERENCE_CACHE_MB); serve a smaller ` +
        "(e.g. quantized) model.",
    };
  say(
    `Runs with the ${pinned.ref.flavor} flavor: ${needed.files} file(s), ${size(needed.bytes)}, within the ` +
      `inference worker's memory budget of ${size(modelMemoryBytes)}.`,
  );
  return { pinned };
}
