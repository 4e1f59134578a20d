import type { UsageGroupBy, UsageRow } from "@edgeserve/api";
import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import { type SQL, and, eq, gte, lt, sql } from "drizzle-orm";

const GROUP_EXPRESSIONS: Record<UsageGroupBy, SQL<string>> = {
  user: sql<string>`${usageRecords.requester}`,
  served_entity: sql<string>`${usageRecords.servedEntity}`,
  day: sql<string>`strftime('%Y-%m-%d', ${usageRecords.timestamp} / 1000, 'unixepoch')`,
};

/**
 * Usage of one endpoint in [startTime, endTime), one row per group. Only provider calls of queries made
 * while `usage_tracking_config.enabled` was on count (their query outcome row says so); each call is one
 * request (a fallback to another entity counts again).
 */
export async function readUsage(db: Database, endpointId: string, startTime: number, endTime: number, groupBy: UsageGroupBy): Promise<UsageRow[]> {
  const group = GROUP_EXPRESSIONS[groupBy];
  const tracked = sql`exists (select 1 from ${queryOutcomes} where ${queryOutcomes.requestId} = ${usageRecords.requestId} and ${queryOutcomes.endpointId} = ${usageRecords.endpointId} and ${queryOutcomes.usageTracked} = 1)`;
  const rows = await db
    .select({
      group: group.as("usage_group"),
      requestCount: sql<number>`count(*)`,
      errorCount: sql<number>`sum(case when ${usageRecords.status} >= 400 then 1 else 0 end)`,
      inputTokens: sql<number>`sum(${usageRecords.promptTokens})`,
      outputTokens: sql<number>`sum(${usageRecords.completionTokens})`,
      estimatedCount: sql<number>`sum(${usageRecords.estimated})`,
    })
    .from(usageRecords)
    .where(and(eq(usageRecords.endpointId, endpointId), gte(usageRecords.timestamp, startTime), lt(usageRecords.timestamp, endTime), tracked))
    .groupBy(sql`usage_group`)
    .orderBy(sql`usage_group`);
  return rows.map((r) => {
    const input = Number(r.inputTokens ?? 0);
    const output = Number(r.outputTokens ?? 0);
    return {
      group: String(r.group),
      request_count: Number(r.requestCount),
      error_count: Number(r.errorCount ?? 0),
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
      estimated_count: Number(r.estimatedCount ?? 0),
    };
  });
}
