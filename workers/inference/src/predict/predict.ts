import type { PredictRequest, PredictResponse } from "@edgeserve/mlflow/inference-protocol";
import type { InferenceEnv } from "../env";
import { getModel } from "../model-store/loaded-models";

/** Scores a checked PredictRequest with its model (loaded from R2 once per isolate); throws ApiError on bad input. */
export async function predict(env: InferenceEnv, request: PredictRequest): Promise<PredictResponse> {
  const model = await getModel(env, request.model);
  return { predictions: await model.predict(request.input, request.params) };
}
