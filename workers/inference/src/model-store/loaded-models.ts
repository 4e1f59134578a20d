import type { ModelRef } from "@edgeserve/mlflow/inference-protocol";
import { onnxModelFile } from "@edgeserve/mlflow/model-files";
import type { ScoringInput } from "@edgeserve/mlflow/scoring-input";
import { parseTransformersConfig } from "@edgeserve/mlflow/transformers-flavor";
import type { InferenceEnv } from "../env";
import { OnnxModel } from "../onnx-flavor/onnx-model";
import { TextModel } from "../transformers-flavor/text-model";
import { artifactKey, readArtifact } from "./artifacts";
import { ModelCache, type Loaded } from "./model-cache";

/** A loaded model of any flavor. */
export interface ScoringModel {
  predict(input: ScoringInput, params?: Record<string, unknown>): Promise<unknown[]>;
  dispose(): Promise<void>;
}

const DEFAULT_CACHE_MB = 96;
let cache: ModelCache<ScoringModel> | undefined;

/** The isolate's model for a ref, loading it from R2 once (concurrent callers share the load). */
export function getModel(env: InferenceEnv, ref: ModelRef): Promise<ScoringModel> {
  cache ??= new ModelCache(cacheBudgetBytes(env));
  // The flavor is part of the key: a re-registered version with another flavor must not reuse the old one.
  return cache.get(`${ref.key}#${ref.flavor}#${ref.artifactPrefix}`, () => load(env, ref));
}

async function load(env: InferenceEnv, ref: ModelRef): Promise<Loaded<ScoringModel>> {
  if (ref.flavor === "onnx") {
    const bytes = await readArtifact(env.ARTIFACTS, artifactKey(ref.artifactPrefix, onnxModelFile(ref.flavorConfig)));
    const model = await OnnxModel.load(bytes, { batching: env.EDGESERVE_INFERENCE_BATCHING !== "false" });
    return { value: model, bytes: bytes.byteLength, dispose: () => model.dispose() };
  }
  const config = parseTransformersConfig(ref.flavorConfig);
  const { model, bytesRead } = await TextModel.load(ref.artifactPrefix, config, async (path) => {
    const object = await env.ARTIFACTS.get(path);
    return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
  });
  return { value: model, bytes: bytesRead, dispose: () => model.dispose() };
}

/** EDGESERVE_INFERENCE_CACHE_MB in bytes: what the cache holds, and the largest model a deployment accepts. */
export function cacheBudgetBytes(env: InferenceEnv): number {
  const mb = Number(env.EDGESERVE_INFERENCE_CACHE_MB ?? DEFAULT_CACHE_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_CACHE_MB) * 1024 * 1024;
}
