import { ApiError } from "@edgeserve/api";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import { logError } from "../../middleware/errors/log-error";
import { dispatchQuery } from "../dispatch";
import type { Query } from "../query";
import type { QueryContext } from "../query-context";
import { logQueryFailure } from "../service-log";
import { fallbackOrder } from "./fallback-order";
import { fallsBack } from "./falls-back";

/**
 * dispatchQuery with `ai_gateway.fallback_config` on: `ctx.entity` (the traffic split's pick) first, then the
 * endpoint's other served entities in order (fallbackOrder), until one answers; when every one fails, the last
 * error is thrown as it is. Each attempt is a whole dispatch with its own deadlines and its own usage record,
 * sent the same parsed body (an object, never a consumed stream). A stream is answered only once its first
 * event came (the invokers await it), so one that fails before that falls back; after it, the failure is the
 * stream's error event and nothing here sees it. A client that went away stops the attempts.
 *
 * `ctx.entity` and `query.entity` follow the attempt under way, so the caller reads the entity that answered
 * (or failed last) from either. Once a query falls back, each failed attempt is noted on `query.failedAttempts`
 * (the last one too when all fail); each that fell back is also written to its entity's service log.
 */
export async function dispatchWithFallbacks(ctx: QueryContext, query: Query): Promise<Response> {
  // Made on the first failure: a query whose first entity answers costs what it would without fallbacks.
  let order: StoredServedEntity[] | undefined;
  for (let i = 0; ; i++) {
    if (order) ctx.entity = query.entity = order[i]!;
    const entity = ctx.entity;
    const startedAt = Date.now();
    try {
      return await dispatchQuery(ctx);
    } catch (thrown) {
      order ??= fallbackOrder(ctx.endpoint.config!.served_entities, entity);
      const error = ApiError.from(thrown);
      const last = i === order.length - 1 || !fallsBack(error) || ctx.signal?.aborted;
      // A query that failed on its first entity without falling back is recorded as without fallbacks.
      if (last && !query.failedAttempts) throw thrown;
      (query.failedAttempts ??= []).push({
        entity: entity.name,
        status: error.status,
        errorCode: error.code,
        startedAt,
        latencyMs: Date.now() - startedAt,
      });
      if (last) throw thrown;
      // The client never sees this error, so it is logged here as onError would have logged it.
      logError(error, ctx.requestId);
      const logged = logQueryFailure(ctx.db, ctx.endpoint.row.id, entity.name, thrown);
      if (logged) ctx.waitUntil(logged);
    }
  }
}
