import { ApiError } from "@edgeserve/api";
import {
  type ScoringRequest,
  enforceParams,
  enforceSignature,
  parseScoringCsv,
  parseScoringJson,
} from "@edgeserve/mlflow";
import type { QueryContext } from "../query-context";
import { upstreamTimeoutMs } from "../upstream-fetch";
import { recordQueryUsage } from "../usage/record-usage";
import { callInference } from "./call-inference";
import { predictOnModelServer } from "./model-server/forward-to-model-server";
import { pinnedModelOf } from "./pinned-model-of";
import { stringColumnsOf } from "./string-columns";
import { jsonResponse } from "../../http/known-body-text";

/**
 * Serves a query with a registry entity (`entity_name`) with the version its deployment pinned: parse
 * the scoring request (JSON or CSV) and enforce the signature here, so bad input is a 400 before any
 * model runs; then the inference worker predicts, or the model server the deployment placed it on.
 */
export async function invokeCustomModel(ctx: QueryContext): Promise<Response> {
  // MLflow's predict_stream sends this; the models Edgeserve runs answer in one piece, so say so rather than
  // answer JSON.
  if (ctx.body.stream === true)
    throw new ApiError(
      "INVALID_PARAMETER_VALUE",
      "Streaming is not supported for custom models on Edgeserve: their predictions come in one answer; " +
        "leave 'stream' out.",
    );
  const pinned = await pinnedModelOf(ctx);
  const inputs = pinned.signature?.inputs;
  const scoring: ScoringRequest =
    ctx.csv !== undefined ? { input: parseScoringCsv(ctx.csv, stringColumnsOf(inputs)) } : parseScoringJson(ctx.body);
  const input = enforceSignature(scoring.input, inputs);
  const params = enforceParams(scoring.params, pinned.signature?.params);

  const started = Date.now();
  const record = (status: number) =>
    recordQueryUsage(ctx, started, {
      task: null,
      provider: null,
      stream: false,
      promptTokens: 0,
      completionTokens: 0,
      estimated: false,
      status,
    });
  try {
    const predictions = pinned.model_server
      ? await predictOnModelServer(ctx, pinned, { input, ...(params && { params }) })
      : (
          await callInference(
            ctx.env.INFERENCE,
            { model: pinned.ref, input, ...(params && { params }) },
            { timeoutMs: upstreamTimeoutMs(ctx.env), signal: ctx.signal },
          )
        ).predictions;
    record(200);
    return jsonResponse({ predictions });
  } catch (error) {
    record(error instanceof ApiError ? error.status : 500);
    throw error;
  }
}
