// CPU time per request (/proc utime+stime over a fixed request count) and the delivery check: every
// query answered during that run has its usage record in D1 once the queues drain.
import { usageRequestCount } from "../bench-endpoint.mjs";
import { log, r3 } from "../log.mjs";
import { CLK_TCK, cpuSeconds, procStat, settle } from "../proc-cpu.mjs";
import { runHelper } from "../processes.mjs";
import { CPU_REQUESTS, CPU_ROUNDS, FEATURES, PROFILE_ONLY, STREAM } from "../settings.mjs";
import { EDGESERVE_TARGETS } from "../targets/target.mjs";

/**
 * Writes `cpu[target]` and, for targets with a usage API, `delivery[target]`. `mockPid` and `upstash`
 * (null without rate limits) get columns of their own.
 */
export async function measureCpu(run, { cpu, delivery }) {
  const order = PROFILE_ONLY ? ["edgeserve"] : Object.keys(run.targets);
  const rounds = Object.fromEntries(order.map((k) => [k, []]));
  for (let round = 0; round < CPU_ROUNDS; round++) {
    for (const k of round % 2 ? [...order].reverse() : order) {
      const one = {};
      await measureCpuOnce(run, k, one, delivery);
      rounds[k].push(one[k]);
    }
  }
  for (const k of order) {
    const sorted = [...rounds[k]].sort((a, b) => a.cpuMsPerRequest - b.cpuMsPerRequest);
    cpu[k] = { ...sorted[(sorted.length - 1) >> 1], roundsCpuMsPerRequest: rounds[k].map((r) => r.cpuMsPerRequest) };
  }
}

/** One CPU-per-query run of target `k`: writes `cpu[k]` and, when it has a usage API, `delivery[k]`. */
async function measureCpuOnce({ targets, settleAll, mockPid, upstash, adminToken }, k, cpu, delivery) {
  const t = targets[k];
  const pids = t.pids();
  const tree = t.treePids ? t.treePids() : pids;
  const mockPids = [mockPid];
  const redisPids = upstash?.pids() ?? [];
  await settleAll();
  const pipelinePids = t.pipelinePids?.() ?? [];
  const sample = () => ({
    gw: cpuSeconds(pids),
    tree: cpuSeconds(tree),
    mock: cpuSeconds(mockPids),
    redis: cpuSeconds(redisPids),
    pipeline: cpuSeconds(pipelinePids),
  });
  const before = sample();
  const usageBefore = t.usageBase && FEATURES.has("usage") ? await usageRequestCount(t.usageBase, adminToken) : null;
  const r = runHelper("load.mjs", {
    url: t.url,
    method: "POST",
    headers: t.headers,
    body: STREAM ? t.streamBody : t.body,
    connections: 8,
    amount: CPU_REQUESTS,
  });
  // The queue consumers' work for these requests (usage into D1, payload logs into R2) counts too.
  await settle(tree);
  const after = sample();
  const n = r.requests + r.non2xx;
  if (usageBefore !== null) {
    // Nothing the gateway accepted may be lost to batching: every answered query has its usage record in D1.
    const landed = await usageRequestCount(t.usageBase, adminToken, usageBefore + r.requests);
    delivery[k] = { queriesAnswered: r.requests, usageRecordsLanded: landed - usageBefore };
    log(
      `delivery (${t.label}): ${delivery[k].usageRecordsLanded} usage records landed ` +
        `for ${r.requests} answered queries`,
    );
  }
  const perRequest = (key) => r3(((after[key] - before[key]) * 1000) / n);
  cpu[k] = {
    requests: n,
    streamed: STREAM,
    processes: pids.map((p) => procStat(p)?.comm ?? String(p)),
    cpuMsPerRequest: k === "direct" ? perRequest("mock") : perRequest("gw"),
    treeCpuMsPerRequest: k === "direct" ? null : perRequest("tree"),
    // The logging pipeline's process (production layout): queue broker, consumers, their D1 and R2.
    pipelineCpuMsPerRequest: pipelinePids.length ? perRequest("pipeline") : null,
    mockCpuMsPerRequest: perRequest("mock"),
    // The rate limiter's Upstash bridge (Node) + redis-server: on this machine they share the 2 cores.
    upstashCpuMsPerRequest: upstash && EDGESERVE_TARGETS.includes(k) ? perRequest("redis") : null,
    resolutionMs: r3((1000 / CLK_TCK / n) * 1),
  };
  log(`cpu ${t.label}: ${cpu[k].cpuMsPerRequest} ms/request (${cpu[k].processes.join(",")})`);
}
