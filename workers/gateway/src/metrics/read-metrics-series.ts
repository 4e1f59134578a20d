import type { MetricsSeriesBucket } from "@edgeserve/api";
import { type Database, LATENCY_BUCKETS_MS, queryOutcomes, usageRecords } from "@edgeserve/db";
import { sql } from "drizzle-orm";
import { histogramQuantile } from "./histogram-quantile";

interface OutcomeRow {
  bucket: number;
  requests: number;
  errors: number;
  max_latency: number;
  [le: `le_${number}`]: number;
}

/**
 * One endpoint's queries per time bucket of [startTime, endTime): counts, errors and latency percentiles from
 * `query_outcomes`, tokens from `usage_records`. Each query is one grouped SQL statement (a row per non-empty
 * bucket, the histogram counted in SQL; D1 binds JS numbers as REAL, hence the casts), so the cost is a
 * range scan of the window, not rows sent to the worker.
 */
export async function readMetricsSeries(
  db: Database,
  endpointId: string,
  startTime: number,
  endTime: number,
  intervalMs: number,
): Promise<MetricsSeriesBucket[]> {
  const histogramColumns = sql.join(
    LATENCY_BUCKETS_MS.map((le) => sql`sum(${queryOutcomes.latencyMs} <= ${le}) as ${sql.raw(`le_${le}`)}`),
    sql`, `,
  );
  const [outcomes, tokens] = await Promise.all([
    db.all<OutcomeRow>(sql`
      select cast((${queryOutcomes.timestamp} - ${startTime}) / ${intervalMs} as integer) as bucket,
        count(*) as requests,
        sum(${queryOutcomes.statusCode} >= 400) as errors, max(${queryOutcomes.latencyMs}) as max_latency,
        ${histogramColumns}
      from ${queryOutcomes}
      where ${queryOutcomes.endpointId} = ${endpointId} and ${queryOutcomes.timestamp} >= ${startTime}
        and ${queryOutcomes.timestamp} < ${endTime}
      group by bucket`),
    db.all<{ bucket: number; input: number; output: number }>(sql`
      select cast((${usageRecords.timestamp} - ${startTime}) / ${intervalMs} as integer) as bucket,
        sum(${usageRecords.promptTokens}) as input, sum(${usageRecords.completionTokens}) as output
      from ${usageRecords}
      where ${usageRecords.endpointId} = ${endpointId} and ${usageRecords.timestamp} >= ${startTime}
        and ${usageRecords.timestamp} < ${endTime}
      group by bucket`),
  ]);
  const count = Math.ceil((endTime - startTime) / intervalMs);
  const buckets: MetricsSeriesBucket[] = Array.from({ length: count }, (_, i) => ({
    start_time: startTime + i * intervalMs,
    request_count: 0,
    error_count: 0,
    latency_p50_ms: null,
    latency_p95_ms: null,
    latency_p99_ms: null,
    input_tokens: 0,
    output_tokens: 0,
  }));
  for (const row of outcomes) {
    const bucket = buckets[Number(row.bucket)];
    if (!bucket) continue;
    const total = Number(row.requests);
    const cumulative = LATENCY_BUCKETS_MS.map((le) => Number(row[`le_${le}`] ?? 0));
    const max = Number(row.max_latency ?? 0);
    bucket.request_count = total;
    bucket.error_count = Number(row.errors ?? 0);
    bucket.latency_p50_ms = histogramQuantile(0.5, LATENCY_BUCKETS_MS, cumulative, total, max);
    bucket.latency_p95_ms = histogramQuantile(0.95, LATENCY_BUCKETS_MS, cumulative, total, max);
    bucket.latency_p99_ms = histogramQuantile(0.99, LATENCY_BUCKETS_MS, cumulative, total, max);
  }
  for (const row of tokens) {
    const bucket = buckets[Number(row.bucket)];
    if (!bucket) continue;
    bucket.input_tokens = Number(row.input ?? 0);
    bucket.output_tokens = Number(row.output ?? 0);
  }
  return buckets;
}
