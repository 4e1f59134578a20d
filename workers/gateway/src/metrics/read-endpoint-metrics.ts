import { type Database, LATENCY_BUCKETS_MS, queryOutcomeTotals, usageTokenTotals } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { type EndpointMetrics, metricsFromGroups } from "./endpoint-metrics";

/**
 * Metrics of one endpoint, from the running totals D1 keeps as the usage consumer writes each query's row
 * (query_outcome_totals, usage_token_totals: packages/db/src/usage-schema.ts). Every isolate's queries land
 * there exactly once, so the numbers are the same whichever isolate answers the scrape (they trail live
 * traffic by the queue's batch delay, about a second). Two primary-key reads of one row per (served
 * entity, status) and per served entity: a scrape costs the same at ten recorded queries as at millions,
 * and counts queries whose raw rows retention has since pruned.
 */
export async function readEndpointMetrics(
  db: Database,
  endpoint: { id: string; name: string },
): Promise<EndpointMetrics> {
  const [outcomeRows, tokenRows] = await Promise.all([
    db.select().from(queryOutcomeTotals).where(eq(queryOutcomeTotals.endpointId, endpoint.id)),
    db.select().from(usageTokenTotals).where(eq(usageTokenTotals.endpointId, endpoint.id)),
  ]);
  const groups = outcomeRows.map((row) => ({
    servedEntity: row.servedEntity,
    statusCode: row.statusCode,
    count: row.count,
    sumMs: row.latencySumMs,
    cumulative: LATENCY_BUCKETS_MS.map((le) => row[`le${le}`]),
  }));
  const tokens = tokenRows.map((t) => ({ servedEntity: t.servedEntity, input: t.inputTokens, output: t.outputTokens }));
  return metricsFromGroups(endpoint.name, groups, tokens);
}
