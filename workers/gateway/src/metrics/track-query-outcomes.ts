import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import type { Query } from "../serving/query";
import { enqueueUsageEvents } from "../serving/usage/send-usage-event";
import type { UsageEvent } from "../serving/usage/usage-event";
import { usageTrackingEnabled } from "../serving/usage/usage-tracking-enabled";

/**
 * Wraps the query routes: when a query that reached an endpoint is answered (any status: 200, 429 from
 * rate limits, 400 bad bodies or guardrail blocks, 503 not ready…), its status and latency go on the
 * usage queue as a `query` event, from which metrics are computed. Latency is time to response headers.
 * Queries that never named an existing endpoint (unknown name, unreadable body) have no endpoint to count
 * for: the query path's `query` variable (serving/query.ts) is set once the endpoint is found.
 * The event joins the isolate's pending usage batch, with the query's usage record (queue-batcher.ts).
 * A query that fell back (serving/fallback/) adds one event per failed attempt, with that entity, status
 * and latency: metrics count every entity's attempts.
 */
export function trackQueryOutcomes(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      const query = c.get("query");
      if (query) {
        const outcome: UsageEvent = {
          id: crypto.randomUUID(),
          kind: "query",
          outcome: {
            requestId: query.requestId,
            timestamp: started,
            endpointId: query.endpoint.row.id,
            servedEntity: query.entity?.name ?? null,
            status: c.res.status,
            latencyMs: Date.now() - started,
            usageTracked: usageTrackingEnabled(query.endpoint.row.aiGateway),
          },
        };
        const events = query.failedAttempts ? [...failedAttemptOutcomes(query), outcome] : [outcome];
        enqueueUsageEvents(c.env.USAGE_EVENTS, events, (promise) => c.executionCtx.waitUntil(promise));
      }
    }
  };
}

/**
 * One `query` event per attempt that fell back, so each entity's failures count in metrics. The query's own
 * event already counts its entity (the one that answered, or after all failed the last one tried).
 */
function failedAttemptOutcomes(query: Query): UsageEvent[] {
  const usageTracked = usageTrackingEnabled(query.endpoint.row.aiGateway);
  const fellBack = query.failedAttempts!.filter((attempt) => attempt.entity !== query.entity?.name);
  return fellBack.map((attempt) => ({
    id: crypto.randomUUID(),
    kind: "query",
    outcome: {
      requestId: query.requestId,
      timestamp: attempt.startedAt,
      endpointId: query.endpoint.row.id,
      servedEntity: attempt.entity,
      status: attempt.status,
      latencyMs: attempt.latencyMs,
      usageTracked,
    },
  }));
}
