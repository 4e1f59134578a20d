import type { InferenceRpc, PredictOutcome } from "@edgeserve/mlflow/inference-protocol";
import { WorkerEntrypoint } from "cloudflare:workers";
import type { InferenceEnv } from "./env";
import { asApiError } from "./failure";
import { predict } from "./predict/predict";
import { parsePredictRequest } from "./predict/predict-request";
import { route } from "./router";

/**
 * The entrypoint the gateway's INFERENCE service binding names (wrangler.toml `entrypoint`). Queries call
 * `predict()` over RPC: inputs and predictions cross by structured clone, with no JSON text or HTTP
 * request on either side. `fetch` serves the HTTP routes the gateway still uses (embeddings, limits).
 */
export class InferenceService extends WorkerEntrypoint<InferenceEnv> implements InferenceRpc {
  override fetch(request: Request): Promise<Response> {
    return route(request, this.env);
  }

  async predict(request: unknown): Promise<PredictOutcome> {
    try {
      return await predict(this.env, parsePredictRequest(request));
    } catch (e) {
      const error = asApiError(e, "predict");
      return { error: error.body(), status: error.status };
    }
  }
}
