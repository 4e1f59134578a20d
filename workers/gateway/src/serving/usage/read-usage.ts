import type { UsageGroupBy, UsageRow } from "@edgeserve/api";
import { type Database, queryOutcomes, trackedUsageByHour, usageRecords } from "@edgeserve/db";
import { type SQL, sql } from "drizzle-orm";

const HOUR_MS = 3_600_000;

const utcDay = (ms: SQL | typeof usageRecords.timestamp) => sql`strftime('%Y-%m-%d', ${ms} / 1000, 'unixepoch')`;

/** The group of a raw usage row, and of an hourly row. */
const GROUPS: Record<UsageGroupBy, { raw: SQL; hourly: SQL }> = {
  user: { raw: sql`${usageRecords.requester}`, hourly: sql`${trackedUsageByHour.requester}` },
  served_entity: { raw: sql`${usageRecords.servedEntity}`, hourly: sql`${trackedUsageByHour.servedEntity}` },
  day: { raw: utcDay(usageRecords.timestamp), hourly: utcDay(sql`${trackedUsageByHour.hourStart}`) },
};

/**
 * Usage of one endpoint in [startTime, endTime), one row per group. Only provider calls of queries made
 * while `usage_tracking_config.enabled` was on count (their query outcome row says so); each call is one
 * request (a fallback to another entity counts again). The whole UTC hours of the range are read from
 * `tracked_usage_by_hour` (one row per hour, caller and entity), the partial hours at either end from the
 * raw rows, so a 30-day range reads at most 720 hours' rows plus two hours of raw rows however many
 * requests it holds. Raw rows older than the usage retention are gone, so partial hours that old count nothing.
 */
export async function readUsage(
  db: Database,
  endpointId: string,
  startTime: number,
  endTime: number,
  groupBy: UsageGroupBy,
  /** Add `cost_usd` (pay-per-token endpoints, whose calls are priced). */
  withCost = false,
): Promise<UsageRow[]> {
  const firstWholeHour = Math.ceil(startTime / HOUR_MS) * HOUR_MS;
  const wholeHoursEnd = Math.floor(endTime / HOUR_MS) * HOUR_MS;
  const [hoursFrom, hoursTo] = firstWholeHour < wholeHoursEnd ? [firstWholeHour, wholeHoursEnd] : [endTime, endTime];
  const rawRanges = sql`(${usageRecords.timestamp} >= ${startTime} and ${usageRecords.timestamp} < ${hoursFrom})
    or (${usageRecords.timestamp} >= ${hoursTo} and ${usageRecords.timestamp} < ${endTime})`;
  const tracked = sql`exists (select 1 from ${queryOutcomes}
    where ${queryOutcomes.requestId} = ${usageRecords.requestId}
      and ${queryOutcomes.endpointId} = ${usageRecords.endpointId} and ${queryOutcomes.usageTracked} = 1)`;
  const group = GROUPS[groupBy];
  const rows = await db.all<{
    usage_group: string;
    requests: number;
    errors: number;
    input: number;
    output: number;
    estimated: number;
    cost: number;
  }>(sql`
    select usage_group, sum(requests) as requests, sum(errors) as errors, sum(input) as input, sum(output) as output,
      sum(estimated) as estimated, total(cost) as cost from (
      select ${group.raw} as usage_group, 1 as requests, ${usageRecords.status} >= 400 as errors,
        ${usageRecords.promptTokens} as input, ${usageRecords.completionTokens} as output,
        ${usageRecords.estimated} as estimated, ${usageRecords.costUsd} as cost
      from ${usageRecords} where ${usageRecords.endpointId} = ${endpointId} and (${rawRanges}) and ${tracked}
      union all
      select ${group.hourly}, ${trackedUsageByHour.requestCount}, ${trackedUsageByHour.errorCount},
        ${trackedUsageByHour.inputTokens}, ${trackedUsageByHour.outputTokens}, ${trackedUsageByHour.estimatedCount},
        ${trackedUsageByHour.costUsd}
      from ${trackedUsageByHour} where ${trackedUsageByHour.endpointId} = ${endpointId}
        and ${trackedUsageByHour.hourStart} >= ${hoursFrom} and ${trackedUsageByHour.hourStart} < ${hoursTo}
    ) group by usage_group order by usage_group`);
  return rows.map((r) => {
    const input = Number(r.input ?? 0);
    const output = Number(r.output ?? 0);
    return {
      group: String(r.usage_group),
      request_count: Number(r.requests),
      error_count: Number(r.errors ?? 0),
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
      estimated_count: Number(r.estimated ?? 0),
      // Rounded as each record is (to a millionth of a cent), so sums of floats do not show noise digits.
      ...(withCost ? { cost_usd: Math.round(Number(r.cost ?? 0) * 1e8) / 1e8 } : {}),
    };
  });
}
