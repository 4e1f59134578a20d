import { z } from "zod";
import { epochMs } from "./usage";

/** Bucket widths GET …/metrics/series accepts, in seconds: 1 min, 5 min, 15 min, 1 h, 6 h, 1 day. */
export const METRICS_SERIES_INTERVALS_S = [60, 300, 900, 3600, 21600, 86400] as const;
/** At most this many buckets per call: a chart's worth, so one call stays one small D1 read. */
export const METRICS_SERIES_MAX_BUCKETS = 1440;
/** The default window when `start_time` is left out: the last hour. */
export const DEFAULT_METRICS_SERIES_WINDOW_MS = 3_600_000;

/**
 * Query of GET /api/2.0/serving-endpoints/{name}/metrics/series: [start_time, end_time) cut into buckets of
 * `interval_s`. end_time defaults to now, start_time to an hour before end_time.
 */
export const metricsSeriesQuery = z
  .strictObject({
    start_time: epochMs("start_time"),
    end_time: epochMs("end_time"),
    interval_s: z
      .enum(METRICS_SERIES_INTERVALS_S.map(String) as [string, ...string[]])
      .default("60")
      .transform(Number)
      .describe(`Bucket width in seconds: ${METRICS_SERIES_INTERVALS_S.join(", ")} (default 60).`),
  })
  .refine((q) => q.start_time === undefined || q.end_time === undefined || q.start_time < q.end_time, {
    path: ["start_time"],
    message: "must be before end_time",
  });

/** One time bucket. Latency percentiles are null in a bucket without queries. */
export const metricsSeriesBucket = z.object({
  /** Start of the bucket, ms since epoch. */
  start_time: z.number().int(),
  /** Queries that reached the endpoint, whatever their outcome. */
  request_count: z.number().int(),
  /** Of those, answered with status ≥ 400. */
  error_count: z.number().int(),
  /** Estimated from the latency histogram's bounds (as Prometheus' histogram_quantile), capped by the maximum. */
  latency_p50_ms: z.number().nullable(),
  latency_p95_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  /** Tokens of the provider calls made in the bucket (every call, tracked or not). */
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
});
export type MetricsSeriesBucket = z.infer<typeof metricsSeriesBucket>;

export const metricsSeriesResponse = z.object({
  endpoint_name: z.string(),
  start_time: z.number().int(),
  end_time: z.number().int(),
  interval_s: z.number().int(),
  /** Every bucket of the window, in time order, empty ones included. */
  buckets: z.array(metricsSeriesBucket),
});
export type MetricsSeriesResponse = z.infer<typeof metricsSeriesResponse>;
