import { ApiError } from "@edgeserve/api";
import { invokeExternalModel } from "./external-model";
import { invokeBuiltinEmbeddings, isBuiltinEmbeddingsEntity } from "./builtin-embeddings";
import type { QueryContext } from "./query-context";

/**
 * One handler per kind of served entity. External models are served now; registry models
 * (in-worker WASM and upstream model servers) plug in here beside them.
 */
export async function dispatchQuery(ctx: QueryContext): Promise<Response> {
  if (ctx.entity.external_model) return invokeExternalModel(ctx);
  if (isBuiltinEmbeddingsEntity(ctx.entity)) return invokeBuiltinEmbeddings(ctx);
  throw new ApiError("NOT_IMPLEMENTED", `Served entity '${ctx.entity.name}' is a registry model, which this gateway cannot serve yet.`);
}
