import type { InferenceEnv } from "../env";
import { predict } from "./predict";
import { readPredictRequest } from "./predict-request";

/**
 * POST /v1/predict: a PredictRequest as JSON (see inference-protocol.ts). The gateway calls the RPC method
 * (inference-service.ts) instead; this route stays for the worker's own tests and `pnpm bench:inference`.
 */
export async function handlePredict(request: Request, env: InferenceEnv): Promise<Response> {
  return Response.json(await predict(env, await readPredictRequest(request)));
}
