import { ApiError } from "@edgeserve/api";
import { type MlModel, MlModelError, parseMlModel } from "@edgeserve/mlflow";

/** Parsed MLmodel files by artifact prefix: a model version's files never change, so an isolate keeps them. */
const parsed = new Map<string, MlModel>();
const MAX_CACHED = 256;

/** Reads and parses `<artifactPrefix>MLmodel` from R2 (once per isolate per model version). */
export async function loadMlModel(bucket: R2Bucket, artifactPrefix: string, label: string): Promise<MlModel> {
  const cached = parsed.get(artifactPrefix);
  if (cached) return cached;
  const object = await bucket.get(`${artifactPrefix}MLmodel`);
  if (!object) throw new ApiError("INVALID_STATE", `Model ${label} has no MLmodel file in its artifacts; log it with MLflow (mlflow.<flavor>.log_model).`);
  let model: MlModel;
  try {
    model = parseMlModel(await object.text());
  } catch (e) {
    if (e instanceof MlModelError) throw new ApiError("INVALID_STATE", `Model ${label} has an invalid MLmodel file: ${e.message}`);
    throw e;
  }
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
  parsed.set(artifactPrefix, model);
  return model;
}
