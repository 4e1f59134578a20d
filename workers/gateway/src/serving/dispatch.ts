import { ApiError } from "@edgeserve/api";
import { invokeCustomModel } from "./custom-model";
import { invokeExternalModel } from "./external-model";
import { invokeBuiltinEmbeddings, isBuiltinEmbeddingsEntity } from "./builtin-embeddings";
import type { QueryContext } from "./query-context";
import { invokeFoundationModel, invokeProvisionedModel } from "./foundation-model";
import { isProvisionedEntity } from "../foundation-models/provisioned-band";

/**
 * One handler per kind of served entity: external models (provider APIs), the built-in embeddings
 * encoder, and registry models (MLflow models run by the inference worker).
 */
export async function dispatchQuery(ctx: QueryContext): Promise<Response> {
  if (ctx.entity.external_model) return invokeExternalModel(ctx);
  if (ctx.entity.foundation_model) return invokeFoundationModel(ctx);
  if (isProvisionedEntity(ctx.entity)) return invokeProvisionedModel(ctx);
  if (isBuiltinEmbeddingsEntity(ctx.entity)) return invokeBuiltinEmbeddings(ctx);
  if (ctx.entity.entity_name) return invokeCustomModel(ctx);
  throw new ApiError(
    "NOT_IMPLEMENTED",
    `Served entity '${ctx.entity.name}' names neither a model nor an external model.`,
  );
}
