import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { LATENCY_BUCKETS_MS, type LatencyBound } from "./latency-buckets";

/**
 * Usage tracking: one row per provider call, written by the usage queue consumer.
 * `id` is the queue event's id, made once when the event is sent: a redelivered message inserts
 * nothing (`ON CONFLICT DO NOTHING`), so every record lands exactly once. (Not the request id: callers
 * choose `x-request-id`, and two calls sharing one must still count twice.)
 * No foreign key to `endpoints`: rows of a deleted endpoint must not make the consumer fail forever.
 */
export const usageRecords = sqliteTable(
  "usage_records",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id").notNull(),
    servedEntity: text("served_entity").notNull(),
    endpointId: text("endpoint_id").notNull(),
    endpointName: text("endpoint_name").notNull(),
    /** When the provider call started, ms since epoch. */
    timestamp: integer("timestamp").notNull(),
    requester: text("requester").notNull(),
    requesterKind: text("requester_kind", { enum: ["user", "service_principal"] }).notNull(),
    clientRequestId: text("client_request_id"),
    usageContext: text("usage_context", { mode: "json" }),
    task: text("task"),
    provider: text("provider"),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    estimated: integer("estimated", { mode: "boolean" }).notNull(),
    status: integer("status").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    /** USD, by the operator's price table, for pay-per-token (foundation model) calls; null for other entities. */
    costUsd: real("cost_usd"),
  },
  // By endpoint and time: the usage API. By time alone: the retention job's pruning. By request and endpoint:
  // the trigger that counts a request's usage into tracked_usage_by_hour when its query outcome arrives. It
  // matches both of that lookup's columns so that SQLite never prefers the endpoint index, which would scan the
  // endpoint's whole history per lookup (request-lookup-plans.test.ts).
  (t) => [
    index("usage_records_endpoint_time").on(t.endpointId, t.timestamp),
    index("usage_records_time").on(t.timestamp),
    index("usage_records_request").on(t.requestId, t.endpointId),
  ],
);

/**
 * One row per query that reached an endpoint (whatever its outcome: 200, 429, 400, 503…):
 * what the metrics' request counts and latency histogram are computed from. Keyed
 * by the event id for idempotent writes. `usageTracked` records whether `usage_tracking_config.enabled` was on
 * when the query was made; the usage API only reports such queries.
 */
export const queryOutcomes = sqliteTable(
  "query_outcomes",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    /** "" when the query was refused before a served entity was picked. */
    servedEntity: text("served_entity").notNull(),
    statusCode: integer("status_code").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    timestamp: integer("timestamp").notNull(),
    usageTracked: integer("usage_tracked", { mode: "boolean" }).notNull(),
  },
  // By request and endpoint: the usage API and the usage triggers look up whether tracking was on for a usage
  // record's request, by both columns; with the request alone, SQLite chose the endpoint-and-time index for that
  // lookup and scanned the endpoint's whole history per usage row (request-lookup-plans.test.ts).
  // By time: the retention job's pruning. By endpoint and time: the console's metrics series
  // (GET …/metrics/series buckets one endpoint's rows over a window; totals come from query_outcome_totals).
  (t) => [
    index("query_outcomes_time").on(t.timestamp),
    index("query_outcomes_request").on(t.requestId, t.endpointId),
    index("query_outcomes_endpoint_time").on(t.endpointId, t.timestamp),
  ],
);

const latencyBucketColumn = (le: LatencyBound) => integer(`le_${le}`).notNull();
/** One column per histogram bound: `le_<ms>` counts the queries that took at most that long (cumulative). */
const latencyBucketColumns = Object.fromEntries(
  LATENCY_BUCKETS_MS.map((le) => [`le${le}`, latencyBucketColumn(le)]),
) as {
  [le in LatencyBound as `le${le}`]: ReturnType<typeof latencyBucketColumn>;
};

/**
 * Running totals of `query_outcomes` per endpoint, served entity and status: what GET …/metrics reads, so
 * a scrape reads one row per (entity, status) however many queries were recorded. Kept by the trigger
 * `query_outcomes_count_totals` (migration 0003): SQLite runs an AFTER INSERT trigger only for rows
 * actually inserted and inside the inserting statement, so an event redelivered by the queue (whose row
 * insert is a no-op) is never counted twice, and a row and its count land together or not at all.
 * Pruning raw rows (retention) leaves these totals untouched.
 */
export const queryOutcomeTotals = sqliteTable(
  "query_outcome_totals",
  {
    endpointId: text("endpoint_id").notNull(),
    servedEntity: text("served_entity").notNull(),
    statusCode: integer("status_code").notNull(),
    count: integer("count").notNull(),
    latencySumMs: integer("latency_sum_ms").notNull(),
    ...latencyBucketColumns,
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.servedEntity, t.statusCode] })],
);

/**
 * Running token totals of `usage_records` per endpoint and served entity, kept by the trigger
 * `usage_records_count_totals` (as above).
 */
export const usageTokenTotals = sqliteTable(
  "usage_token_totals",
  {
    endpointId: text("endpoint_id").notNull(),
    servedEntity: text("served_entity").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.servedEntity] })],
);

/**
 * Tracked usage (provider calls of queries made while `usage_tracking_config.enabled` was on) per endpoint,
 * UTC hour, requester and served entity: what GET …/usage reads for the whole hours of its range, so its
 * cost grows with hours × callers, not with requests. Kept by two triggers (migration 0003): a usage row is
 * added when it is inserted if a tracked outcome of its request is already there, else when the first
 * tracked outcome of its request is inserted; so each counts once, whichever of the two events lands first,
 * and a redelivered event (no row inserted) adds nothing. Pruning raw rows leaves these rows.
 */
export const trackedUsageByHour = sqliteTable(
  "tracked_usage_by_hour",
  {
    endpointId: text("endpoint_id").notNull(),
    /** Start of the UTC hour, ms since epoch. */
    hourStart: integer("hour_start").notNull(),
    requester: text("requester").notNull(),
    servedEntity: text("served_entity").notNull(),
    requestCount: integer("request_count").notNull(),
    /** Provider calls answered with status ≥ 400. */
    errorCount: integer("error_count").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    estimatedCount: integer("estimated_count").notNull(),
    /** Sum of the rows' `cost_usd` (pay-per-token calls; 0 for entities without a price). */
    costUsd: real("cost_usd").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.hourStart, t.requester, t.servedEntity] })],
);
