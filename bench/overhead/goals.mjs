// The ratios a run is judged by (gateway vs direct, vs the bare proxy, vs Portkey) and the goals checked
// on them. Every comparison is within one run, never an absolute threshold.
import { r3, ratio } from "./log.mjs";
import { CONNECTIONS, QUICK } from "./settings.mjs";
import { EDGESERVE_TARGETS } from "./targets/target.mjs";

const diff = (a, b) => (a == null || b == null ? null : r3(a - b));

/** Writes `results.ratios[connections][target]`; notes targets whose streaming failed on every request. */
export function computeRatios(results, targets) {
  const order = Object.keys(targets);
  const L = results.load;
  for (const c of QUICK ? [] : CONNECTIONS) {
    const d = L[c].direct;
    const row = {};
    for (const k of order.filter((k) => k !== "direct")) {
      const g = L[c][k];
      row[k] = {
        addedP50Ms: r3(g.latencyMs.p50 - d.latencyMs.p50),
        addedP99Ms: r3(g.latencyMs.p99 - d.latencyMs.p99),
        addedMeanMs: r3(g.latencyMs.mean - d.latencyMs.mean),
        throughputVsDirect: ratio(g.rps, d.rps),
      };
    }
    for (const k of EDGESERVE_TARGETS)
      if (row[k] && L[c].bare) row[k].throughputVsBare = ratio(L[c][k].rps, L[c].bare.rps);
    for (const k of EDGESERVE_TARGETS) {
      if (!row[k] || !row.portkey) continue;
      row[k].throughputVsPortkey = ratio(L[c][k].rps, L[c].portkey.rps);
      row[k].addedP50VsPortkey = ratio(row[k].addedP50Ms, row.portkey.addedP50Ms);
      row[k].addedMeanVsPortkey = ratio(row[k].addedMeanMs, row.portkey.addedMeanMs);
    }
    const T = results.ttft[c];
    for (const k of order.filter((k) => k !== "direct")) {
      row[k].ttftAddedP50Ms = diff(T[k].ttftMs.p50, T.direct.ttftMs.p50);
      row[k].ttftAddedP99Ms = diff(T[k].ttftMs.p99, T.direct.ttftMs.p99);
      if (T[k].failures > 0 && !T[k].requests)
        results.notes.push(
          `Streaming through ${targets[k].label} at ${c} connection(s) failed on every request: ` +
            `${T[k].knownIssue ?? T[k].firstError}`,
        );
    }
    results.ratios[c] = row;
  }
}

/** Appends to `results.goals` each goal with its target, this run's value and whether it was met. */
export function checkGoals(results) {
  const R32 = results.ratios[32]?.edgeserve;
  const R1 = results.ratios[1]?.edgeserve;
  const goal = (name, target, value, met, note) => results.goals.push({ name, target, value, met, note });
  goal(
    "Added latency p50 at 32 connections (workerd, prod bundle)",
    "≤ 1 ms",
    R32?.addedP50Ms,
    R32 ? R32.addedP50Ms <= 1 : null,
    "difference of p50s (gateway − direct), same run; load generator, mock and gateway share the 2 cores",
  );
  goal(
    "Added latency p99 at 32 connections (workerd, prod bundle)",
    "≤ 5 ms",
    R32?.addedP99Ms,
    R32 ? R32.addedP99Ms <= 5 : null,
    "difference of p99s",
  );
  const vsPortkey = (R) => R?.throughputVsPortkey ?? null;
  const atLeast3 = (x) => (x != null ? x >= 3 : null);
  goal(
    "Throughput ≥ 3× Portkey at 32 connections",
    "≥ 3",
    vsPortkey(R32),
    atLeast3(vsPortkey(R32)),
    "req/s ÷ req/s, same mock, same run",
  );
  goal("Throughput ≥ 3× Portkey at 1 connection", "≥ 3", vsPortkey(R1), atLeast3(vsPortkey(R1)), "");
  goal(
    "Streaming TTFT overhead p50 at 1 connection",
    "≤ 1 ms",
    R1?.ttftAddedP50Ms,
    R1 ? R1.ttftAddedP50Ms <= 1 : null,
    "",
  );
  goal(
    "Gateway bundle gzip",
    "≤ 1 MiB",
    results.bundle.gzipBytes,
    results.bundle.gzipBytes <= 1024 * 1024,
    `wrangler reports ${results.bundle.wranglerReportedKiB?.gzip} KiB gzip`,
  );
}
