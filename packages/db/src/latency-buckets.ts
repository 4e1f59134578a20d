/**
 * Upper bounds (ms) of the latency histogram: Prometheus' default buckets (5 ms … 10 s) plus
 * 30 s, 60 s, 120 s and 300 s, because LLM calls routinely run that long (297 s is the query deadline).
 * The histogram is stored in D1 (`query_outcome_totals`, one column per bound, kept by a trigger of
 * migration 0003), so a changed list needs a migration too.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000,
] as const;

export type LatencyBound = (typeof LATENCY_BUCKETS_MS)[number];
