import type { UsageRecord } from "./usage-record";

/** How one query to an endpoint ended, whether or not it reached a provider: what metrics count. */
interface QueryOutcome {
  requestId: string;
  timestamp: number;
  endpointId: string;
  /** null when the query was refused before a served entity was picked (rate limit, bad body, not ready). */
  servedEntity: string | null;
  status: number;
  latencyMs: number;
  /** `ai_gateway.usage_tracking_config.enabled` at the time of the query. */
  usageTracked: boolean;
}

/**
 * A message on the `edgeserve-usage` queue. `id` is made once, when the event is created, and is the
 * row's primary key in D1: redeliveries and re-sends of the same event write nothing new.
 */
export type UsageEvent = { id: string } & (
  | { kind: "usage"; record: UsageRecord }
  | { kind: "query"; outcome: QueryOutcome }
);
