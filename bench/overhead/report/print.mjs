// What a BENCH_ONLY run prints instead of writing RESULTS.md: the figures an A/B comparison needs.
import { r3 } from "../log.mjs";
import { AB_ONLY, CONNECTIONS, FEATURES, LOAD_ONLY, PROFILE_ONLY, TTFT_ONLY } from "../settings.mjs";

function printTtft(results) {
  for (const [c, byTarget] of Object.entries(results.ttft)) {
    const direct = byTarget.direct?.ttftMs?.p50;
    for (const [k, r] of Object.entries(byTarget)) {
      const legs = r.legsMs?.toUpstream
        ? `; legs p50 ${r.legsMs.toUpstream.p50} + ${r.legsMs.upstream.p50} + ${r.legsMs.back.p50} ms`
        : "";
      const added = k !== "direct" && direct != null ? `, added p50 ${r3(r.ttftMs?.p50 - direct)} ms` : "";
      const ttft = `TTFT p50 ${r.ttftMs?.p50} ms, p90 ${r.ttftMs?.p90} ms, p99 ${r.ttftMs?.p99} ms${added}`;
      console.log(`c=${c} ${k}: ${ttft}, whole stream p50 ${r.totalMs?.p50} ms, failures ${r.failures}${legs}`);
    }
  }
  const l = results.load[1];
  if (l?.edgeserve && l?.direct) {
    const added = (p) => r3(l.edgeserve.latencyMs[p] - l.direct.latencyMs[p]);
    const latency = `added p50 ${added("p50")} ms, added p99 ${added("p99")} ms`;
    console.log(`non-streaming at 1 connection: ${l.edgeserve.rps} req/s, ${latency}`);
  }
  printCpu(results);
}

function printCpu(results) {
  for (const [k, r] of Object.entries(results.cpu))
    console.log(
      `cpu ${k}${r.streamed ? " (streamed)" : ""}: ${r.cpuMsPerRequest} ms/request ` +
        `(rounds ${r.roundsCpuMsPerRequest?.join(" · ")}; tree ${r.treeCpuMsPerRequest}, ` +
        `pipeline ${r.pipelineCpuMsPerRequest}, redis+bridge ${r.upstashCpuMsPerRequest})`,
    );
}

function printLoad(results) {
  console.log(`features: ${[...FEATURES].join(",") || "none"}`);
  for (const c of CONNECTIONS)
    for (const [k, r] of Object.entries(results.load[c] ?? {}))
      console.log(
        `c=${c} ${k}: ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non2xx ${r.non2xx}`,
      );
  printCpu(results);
  for (const [k, d] of Object.entries(results.delivery))
    console.log(`delivery ${k}: ${d.usageRecordsLanded} usage records for ${d.queriesAnswered} answered queries`);
}

const median = (xs) => {
  const sorted = xs.filter((x) => x != null).sort((a, b) => a - b);
  return sorted.length ? sorted[(sorted.length - 1) >> 1] : null;
};

/** BENCH_ONLY=ab: both gateways' rounds side by side and the baseline's medians over this tree's. */
function printAb(results) {
  for (const c of CONNECTIONS) {
    const { edgeserve, baseline } = results.load[c] ?? {};
    if (!edgeserve || !baseline) continue;
    for (const [k, r] of [
      ["this tree", edgeserve],
      ["baseline ", baseline],
    ])
      console.log(
        `c=${c} ${k}: req/s ${r.roundsRps.join(" · ")} | cpu ms/request ${r.roundsCpuMsPerRequest.join(" · ")}`,
      );
    const rps = r3(median(baseline.roundsRps) / median(edgeserve.roundsRps));
    const cpu = r3(median(baseline.roundsCpuMsPerRequest) / median(edgeserve.roundsCpuMsPerRequest));
    console.log(`c=${c} baseline ÷ this tree (medians): req/s ${rps}×, cpu per request ${cpu}×`);
  }
}

function printProfile(results) {
  for (const t of results.profile?.top ?? []) console.log(`self ${String(t.pct).padStart(5)}%  ${t.where}`);
  for (const t of results.profile?.topInclusive ?? []) console.log(`${String(t.pct).padStart(5)}%  ${t.where}`);
  const cpu = results.cpu.edgeserve;
  console.log(`CPU ms/request: ${cpu?.cpuMsPerRequest} (Upstash bridge + redis: ${cpu?.upstashCpuMsPerRequest})`);
}

/** Prints the figures of the BENCH_ONLY mode this run was. */
export function printQuickRun(results) {
  if (TTFT_ONLY) printTtft(results);
  else if (LOAD_ONLY) printLoad(results);
  else if (AB_ONLY) printAb(results);
  else if (PROFILE_ONLY) printProfile(results);
}
