import type { PredictResponse } from "@edgeserve/mlflow/inference-protocol";
import type { InferenceEnv } from "../env";
import { getModel } from "../model-store/loaded-models";
import { readPredictRequest } from "./predict-request";

/** POST /v1/predict: score a ScoringInput with a registry model version (see inference-protocol.ts). */
export async function handlePredict(request: Request, env: InferenceEnv): Promise<Response> {
  const { model: ref, input, params } = await readPredictRequest(request);
  const model = await getModel(env, ref);
  const predictions = await model.predict(input, params);
  return Response.json({ predictions } satisfies PredictResponse);
}
