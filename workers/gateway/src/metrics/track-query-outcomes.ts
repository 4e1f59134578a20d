import type { Context, MiddlewareHandler } from "hono";
import type { LiveEndpoint } from "../endpoints/cache";
import type { AppEnv } from "../env";
import { enqueueUsageEvents } from "../serving/usage/send-usage-event";
import type { UsageEvent } from "../serving/usage/usage-event";
import { usageTrackingEnabled } from "../serving/usage/usage-tracking-enabled";

/** Which endpoint (and entity) a query reached; set by the query path as it learns them. */
export interface QueryTarget {
  endpointId: string;
  usageTracked: boolean;
  servedEntity: string | null;
}

/** Called by the query path once the endpoint is known (before permission and readiness checks). */
export function noteQueryEndpoint(c: Context<AppEnv>, endpoint: LiveEndpoint): void {
  c.set("queryTarget", { endpointId: endpoint.row.id, usageTracked: usageTrackingEnabled(endpoint.row.aiGateway), servedEntity: null });
}

/** Called by the query path once a served entity is picked. */
export function noteServedEntity(c: Context<AppEnv>, servedEntity: string): void {
  const target = c.get("queryTarget");
  if (target) target.servedEntity = servedEntity;
}

/**
 * Wraps the query routes: when a query that reached an endpoint is answered (any status: 200, 429 from
 * rate limits, 400 bad bodies or guardrail blocks, 503 not ready…), its status and latency go on the
 * usage queue as a `query` event, from which metrics are computed. Latency is time to response headers.
 * Queries that never named an existing endpoint (unknown name, unreadable body) have no endpoint to count for.
 * The event joins the isolate's pending usage batch, with the query's usage record (queue-batcher.ts).
 */
export function trackQueryOutcomes(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      const target = c.get("queryTarget");
      if (target) {
        const outcome: UsageEvent = {
          id: crypto.randomUUID(),
          kind: "query",
          outcome: {
            requestId: c.get("requestId"),
            timestamp: started,
            endpointId: target.endpointId,
            servedEntity: target.servedEntity,
            status: c.res.status,
            latencyMs: Date.now() - started,
            usageTracked: target.usageTracked,
          },
        };
        enqueueUsageEvents(c.env.USAGE_EVENTS, [outcome], (promise) => c.executionCtx.waitUntil(promise));
      }
    }
  };
}
