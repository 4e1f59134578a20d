import { ApiError } from "@edgeserve/api";
import { type MlModel, MlModelError, parseMlModel } from "@edgeserve/mlflow";

/** Reads and parses `<artifactPrefix>MLmodel` from R2; INVALID_STATE (naming the model) when absent or invalid. */
export async function readMlModel(
  bucket: R2Bucket,
  artifactPrefix: string,
  label: string,
): Promise<{ model: MlModel; bytes: number }> {
  const object = await bucket.get(`${artifactPrefix}MLmodel`);
  if (!object)
    throw new ApiError(
      "INVALID_STATE",
      `Model ${label} has no MLmodel file in its artifacts; log it with MLflow (mlflow.<flavor>.log_model).`,
    );
  try {
    return { model: parseMlModel(await object.text()), bytes: object.size };
  } catch (e) {
    if (e instanceof MlModelError)
      throw new ApiError("INVALID_STATE", `Model ${label} has an invalid MLmodel file: ${e.message}`);
    throw e;
  }
}
