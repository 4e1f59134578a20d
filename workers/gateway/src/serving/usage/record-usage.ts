import { env } from "cloudflare:workers";
import type { Env } from "../../env";
import type { QueryContext } from "../query-context";
import { enqueueUsageEvents } from "./send-usage-event";
import type { UsageRecord } from "./usage-record";

/** The query a usage record is about: who asked which served entity of which endpoint, and with what body. */
export type RecordedQuery = Pick<
  QueryContext,
  "requestId" | "endpoint" | "entity" | "principal" | "body" | "waitUntil"
>;

/** How the served entity answered: the part of a usage record that differs between kinds of entity. */
export type QueryUsage = Pick<
  UsageRecord,
  "task" | "provider" | "stream" | "promptTokens" | "completionTokens" | "estimated" | "status" | "costUsd"
>;

/**
 * The one place a query's usage record is built (every kind of entity, and guardrail blocks): the query's
 * fields, the caller's client_request_id / usage_context, and `usage`, timed from `started`. The record goes
 * onto the `edgeserve-usage` queue (off the response path, batched with the isolate's other usage events),
 * from which the usage consumer batch-writes it to D1 (`usage_records`). The bindings are read from the
 * worker's module env, so providers need not pass them along; ARTIFACTS holds a record too large for a
 * queue message until the consumer writes it.
 */
export function recordQueryUsage(query: RecordedQuery, started: number, usage: QueryUsage): void {
  const { body } = query;
  const usageContext = body.usage_context && typeof body.usage_context === "object" ? body.usage_context : undefined;
  const record: UsageRecord = {
    requestId: query.requestId,
    timestamp: started,
    endpointId: query.endpoint.row.id,
    endpointName: query.endpoint.row.name,
    servedEntity: query.entity.name,
    requester: query.principal.name,
    requesterKind: query.principal.kind,
    ...(typeof body.client_request_id === "string" ? { clientRequestId: body.client_request_id } : {}),
    ...(usageContext ? { usageContext: usageContext as Record<string, unknown> } : {}),
    ...usage,
    latencyMs: Date.now() - started,
  };
  const { USAGE_EVENTS, ARTIFACTS } = env as unknown as Env;
  enqueueUsageEvents(USAGE_EVENTS, [{ id: crypto.randomUUID(), kind: "usage", record }], query.waitUntil, ARTIFACTS);
}
