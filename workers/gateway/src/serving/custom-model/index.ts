import { ApiError } from "@edgeserve/api";
import { type ScoringRequest, enforceParams, enforceSignature, parseScoringCsv, parseScoringJson } from "@edgeserve/mlflow";
import { resolveModelVersion } from "../../registry/resolve-model-version";
import type { QueryContext } from "../query-context";
import { queryUsageFields } from "../usage/query-usage-fields";
import { recordUsage } from "../usage/record-usage";
import { callInference } from "./call-inference";
import { loadMlModel } from "./load-mlmodel";
import { pickFlavor } from "./pick-flavor";
import { stringColumnsOf } from "./string-columns";
import { jsonResponse } from "../../http/known-body-text";

/**
 * Serves a query with a registry entity (`entity_name`): resolve the version, read its MLmodel,
 * parse the scoring request (JSON or CSV) and enforce the signature here, so bad input is a 400
 * before any model runs; then the inference worker predicts.
 */
export async function invokeCustomModel(ctx: QueryContext): Promise<Response> {
  // MLflow's predict_stream sends this; the models Edgeserve runs answer in one piece, so say so rather than answer JSON.
  if (ctx.body.stream === true)
    throw new ApiError("INVALID_PARAMETER_VALUE", "Streaming is not supported for custom models on Edgeserve: their predictions come in one answer; leave 'stream' out.");
  const entity = ctx.entity;
  const version = await resolveModelVersion(ctx.db, entity.entity_name!, entity.entity_version);
  const label = `'${version.name}' version ${version.version}`;
  const model = await loadMlModel(ctx.env.ARTIFACTS, version.artifactPrefix, label);
  const { flavor, flavorConfig } = pickFlavor(model, label);

  const inputs = model.signature?.inputs;
  const scoring: ScoringRequest =
    ctx.csv !== undefined ? { input: parseScoringCsv(ctx.csv, stringColumnsOf(inputs)) } : parseScoringJson(ctx.body);
  const input = enforceSignature(scoring.input, inputs);
  const params = enforceParams(scoring.params, model.signature?.params);

  const started = Date.now();
  const record = (status: number) =>
    recordUsage(
      {
        ...queryUsageFields(ctx, started),
        task: null,
        provider: null,
        stream: false,
        promptTokens: 0,
        completionTokens: 0,
        estimated: false,
        status,
        latencyMs: Date.now() - started,
      },
      ctx.waitUntil,
    );
  try {
    const result = await callInference(
      ctx.env.INFERENCE,
      {
        model: { key: `${version.name}/${version.version}`, artifactPrefix: version.artifactPrefix, flavor, flavorConfig },
        input,
        ...(params && { params }),
      },
      ctx.signal,
    );
    record(200);
    return jsonResponse({ predictions: result.predictions });
  } catch (error) {
    record(error instanceof ApiError ? error.status : 500);
    throw error;
  }
}
