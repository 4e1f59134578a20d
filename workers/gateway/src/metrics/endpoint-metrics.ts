/** Everything GET …/metrics reports for one endpoint, as totals over all its recorded queries. */
export interface EndpointMetrics {
  endpointName: string;
  /** Queries by served entity ("" when refused before one was picked) and HTTP status. */
  requests: Array<{ servedEntity: string; statusCode: number; count: number }>;
  /** One latency histogram per served entity; `cumulative[i]` counts queries ≤ LATENCY_BUCKETS_MS[i]. */
  latency: Array<{ servedEntity: string; cumulative: number[]; count: number; sumMs: number }>;
  /** Tokens by served entity, from the usage records of provider calls. */
  tokens: Array<{ servedEntity: string; input: number; output: number }>;
}

/** One row of the D1 aggregate: an (entity, status) group with its per-bucket counts. */
export interface OutcomeGroup {
  servedEntity: string;
  statusCode: number;
  count: number;
  sumMs: number;
  cumulative: number[];
}

/** Folds (entity, status) groups into request counts and one histogram per entity. */
export function metricsFromGroups(
  endpointName: string,
  groups: OutcomeGroup[],
  tokens: EndpointMetrics["tokens"],
): EndpointMetrics {
  const byEntity = new Map<string, EndpointMetrics["latency"][number]>();
  for (const g of groups) {
    let h = byEntity.get(g.servedEntity);
    if (!h) {
      h = { servedEntity: g.servedEntity, cumulative: g.cumulative.map(() => 0), count: 0, sumMs: 0 };
      byEntity.set(g.servedEntity, h);
    }
    h.count += g.count;
    h.sumMs += g.sumMs;
    g.cumulative.forEach((n, i) => (h.cumulative[i]! += n));
  }
  const byName = <T extends { servedEntity: string }>(a: T, b: T) => a.servedEntity.localeCompare(b.servedEntity);
  return {
    endpointName,
    requests: groups
      .map((g) => ({ servedEntity: g.servedEntity, statusCode: g.statusCode, count: g.count }))
      .sort((a, b) => byName(a, b) || a.statusCode - b.statusCode),
    latency: [...byEntity.values()].sort(byName),
    tokens: [...tokens].sort(byName),
  };
}
