// Gateway overhead under load: every target at each connection count, in ROUNDS interleaved rounds
// (bench/load.mjs, autocannon in a process of its own), with the target's CPU per query under that load.
import { log, r3 } from "../log.mjs";
import { cpuSeconds } from "../proc-cpu.mjs";
import { runHelper } from "../processes.mjs";
import { CONNECTIONS, DURATION, ROUNDS, WARMUP } from "../settings.mjs";

/** The run with the median req/s, with every round's req/s beside it. */
function medianRound(runs) {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return {
    ...sorted[(sorted.length - 1) >> 1],
    roundsRps: runs.map((r) => r.rps),
    roundsCpuMsPerRequest: runs.map((r) => r.cpuMsPerRequest),
  };
}

/**
 * Each round runs every target once, so a drift in the host's speed touches all targets alike; each
 * target's figures are those of its median round by req/s. Writes `load[connections][target]`.
 */
export async function measureLoad(targets, settleAll, load) {
  const order = Object.keys(targets);
  for (const c of CONNECTIONS) {
    const runs = Object.fromEntries(order.map((k) => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const k of order) {
        const t = targets[k];
        await settleAll();
        log(`load c=${c} ${t.label} round ${round}/${ROUNDS} (${WARMUP}s warm-up + ${DURATION}s)`);
        const cpuBefore = cpuSeconds(t.pids());
        const r = runHelper("load.mjs", {
          url: t.url,
          method: "POST",
          headers: t.headers,
          body: t.body,
          connections: c,
          duration: DURATION,
          warmup: WARMUP,
        });
        // The gateway's own processes only (not the logging pipeline's, whose work may finish later), over
        // warm-up and measurement: under saturation, what one query costs the request thread.
        const answered = r.warmupResponses + r.requests + r.non2xx;
        r.cpuMsPerRequest = answered ? r3(((cpuSeconds(t.pids()) - cpuBefore) * 1000) / answered) : null;
        runs[k].push(r);
        log(
          `  → ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
            `non2xx ${r.non2xx}, errors ${r.errors}, cpu ${r.cpuMsPerRequest} ms/request`,
        );
      }
    }
    load[c] = Object.fromEntries(order.map((k) => [k, medianRound(runs[k])]));
  }
}
