import { ApiError } from "@edgeserve/api";
import { invokeCustomModel } from "./custom-model";
import { invokeExternalModel } from "./external-model";
import type { QueryContext } from "./query-context";

/**
 * One handler per kind of served entity: external models (provider APIs) and registry models
 * (MLflow models run by the inference worker).
 */
export async function dispatchQuery(ctx: QueryContext): Promise<Response> {
  if (ctx.entity.external_model) return invokeExternalModel(ctx);
  if (ctx.entity.entity_name) return invokeCustomModel(ctx);
  throw new ApiError("NOT_IMPLEMENTED", `Served entity '${ctx.entity.name}' is a registry model, which this gateway cannot serve yet.`);
}
