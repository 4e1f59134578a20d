import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import { type SQL, eq, sql } from "drizzle-orm";
import { type EndpointMetrics, metricsFromGroups } from "./endpoint-metrics";
import { LATENCY_BUCKETS_MS } from "./latency-buckets";

/**
 * Metrics of one endpoint, aggregated in D1 from the rows the usage consumer wrote. Every isolate's
 * queries land there exactly once, so the numbers are the same whichever isolate answers the scrape
 * (they trail live traffic by the queue's batch delay, about a second).
 */
export async function readEndpointMetrics(db: Database, endpoint: { id: string; name: string }): Promise<EndpointMetrics> {
  // Bucket bounds are constants, so they are inlined rather than bound (D1 allows 100 bound parameters).
  const bucketColumns: Record<string, SQL<number>> = Object.fromEntries(
    LATENCY_BUCKETS_MS.map((le) => [`le${le}`, sql<number>`sum(case when ${queryOutcomes.latencyMs} <= ${sql.raw(String(le))} then 1 else 0 end)`]),
  );
  const [outcomeRows, tokenRows] = await Promise.all([
    db
      .select({
        servedEntity: queryOutcomes.servedEntity,
        statusCode: queryOutcomes.statusCode,
        count: sql<number>`count(*)`,
        sumMs: sql<number>`sum(${queryOutcomes.latencyMs})`,
        ...bucketColumns,
      })
      .from(queryOutcomes)
      .where(eq(queryOutcomes.endpointId, endpoint.id))
      .groupBy(queryOutcomes.servedEntity, queryOutcomes.statusCode),
    db
      .select({
        servedEntity: usageRecords.servedEntity,
        input: sql<number>`sum(${usageRecords.promptTokens})`,
        output: sql<number>`sum(${usageRecords.completionTokens})`,
      })
      .from(usageRecords)
      .where(eq(usageRecords.endpointId, endpoint.id))
      .groupBy(usageRecords.servedEntity),
  ]);
  const groups = outcomeRows.map((row) => {
    const r = row as Record<string, unknown>;
    return {
      servedEntity: String(r.servedEntity),
      statusCode: Number(r.statusCode),
      count: Number(r.count),
      sumMs: Number(r.sumMs ?? 0),
      cumulative: LATENCY_BUCKETS_MS.map((le) => Number(r[`le${le}`] ?? 0)),
    };
  });
  const tokens = tokenRows.map((t) => ({ servedEntity: t.servedEntity, input: Number(t.input ?? 0), output: Number(t.output ?? 0) }));
  return metricsFromGroups(endpoint.name, groups, tokens);
}
