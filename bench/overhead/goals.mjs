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

/** Appends to `results.goals` each goal of issue 16 with its target, this run's value and whether it was met. */
export function checkGoals(results) {
  const R32 = results.ratios[32]?.edgeserve;
  const R1 = results.ratios[1]?.edgeserve;
  const bare32 = results.ratios[32]?.bare;
  const goal = (name, target, value, met, note) => results.goals.push({ name, target, value, met, note });
  // A bare proxy that added nothing measurable (≤ 0 in a noisy run) leaves no ratio: then only ≤ 0 meets it.
  const bareAdded = bare32?.ttftAddedP50Ms;
  const ttftVsBare = R32 && bareAdded > 0 ? ratio(R32.ttftAddedP50Ms, bareAdded) : null;
  goal(
    "Added TTFT p50 at 32 streams ÷ the bare proxy's",
    "≤ 2",
    ttftVsBare,
    R32?.ttftAddedP50Ms != null && bareAdded != null ? R32.ttftAddedP50Ms <= 2 * Math.max(bareAdded, 0) : null,
    `Edgeserve adds ${R32?.ttftAddedP50Ms} ms, the bare proxy ${bare32?.ttftAddedP50Ms} ms (each − direct)`,
  );
  goal(
    "Added TTFT p50 at 1 connection",
    "≤ 1 ms",
    R1?.ttftAddedP50Ms,
    R1?.ttftAddedP50Ms != null ? R1.ttftAddedP50Ms <= 1 : null,
    "p50 − direct's p50",
  );
  // The bench's stream: the mock's reply, one token every 5 ms after the first (bench/mock-upstream.mjs).
  const whole = (k) => results.ttft[1]?.[k]?.totalMs?.p50;
  const tokensRate = whole("edgeserve") ? ratio(whole("direct"), whole("edgeserve")) : null;
  goal(
    "Tokens/s through the gateway ÷ direct (whole stream, 1 connection)",
    "≥ 0.95",
    tokensRate,
    tokensRate != null ? tokensRate >= 0.95 : null,
    "direct's whole-stream p50 ÷ Edgeserve's, the mock's stream of tokens 5 ms apart",
  );
  const vsPortkey = R32?.throughputVsPortkey ?? null;
  goal(
    "Throughput ÷ Portkey at 32 connections",
    "≥ 3",
    vsPortkey,
    vsPortkey != null ? vsPortkey >= 3 : null,
    "req/s ÷ req/s, same mock, same run",
  );
  const vsBare = R32?.throughputVsBare ?? null;
  goal(
    "Throughput ÷ bare workerd proxy at 32 connections",
    "≥ 0.6",
    vsBare,
    vsBare != null ? vsBare >= 0.6 : null,
    "full production path on",
  );
  goal(
    "Gateway bundle gzip",
    "≤ 1 MiB",
    results.bundle.gzipBytes,
    results.bundle.gzipBytes <= 1024 * 1024,
    `wrangler reports ${results.bundle.wranglerReportedKiB?.gzip} KiB gzip`,
  );
}
