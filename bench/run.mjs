// `pnpm bench`: measures the gateway's overhead side by side with a direct call and with Portkey's
// gateway, against one fast local mock, and writes bench/results.json and bench/RESULTS.md.
// See bench/README.md for what each scenario measures and the knobs (BENCH_* environment variables,
// read in bench/overhead/settings.mjs). Only 127.0.0.1 is ever contacted (plus the npm registry once, to
// install the Portkey peer into bench/peers if it is missing).
//
// This file is the order of a run. bench/overhead/ holds the parts: targets/ (what is started and
// queried), measurements/ (what is measured on them), goals.mjs (the ratios checked) and report/.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { computeRatios, checkGoals } from "./overhead/goals.mjs";
import { log, r3, startedAt } from "./overhead/log.mjs";
import { buildBundle } from "./overhead/measurements/bundle.mjs";
import { measureCpu } from "./overhead/measurements/cpu.mjs";
import { profileUnderLoad } from "./overhead/measurements/cpu-profile.mjs";
import { measureLoad } from "./overhead/measurements/load.mjs";
import { describeMachine } from "./overhead/measurements/machine.mjs";
import { measureTtft } from "./overhead/measurements/ttft.mjs";
import { settle } from "./overhead/proc-cpu.mjs";
import { stopAll } from "./overhead/processes.mjs";
import { printQuickRun } from "./overhead/report/print.mjs";
import { describeProductionPath } from "./overhead/report/production-path.mjs";
import { writeResults } from "./overhead/report/write.mjs";
import {
  AB_ONLY,
  CONNECTIONS,
  CPU_REQUESTS,
  DURATION,
  KEEP_STATE,
  PROFILE_ONLY,
  PROFILE_SECONDS,
  QUICK,
  ROUNDS,
  STREAM,
  TTFT_TOTAL,
  WARMUP,
  WITH_DEV,
} from "./overhead/settings.mjs";
import { startBareProxy } from "./overhead/targets/bare-proxy.mjs";
import { startEdgeserveOnWorkerd } from "./overhead/targets/edgeserve-workerd.mjs";
import { startMock } from "./overhead/targets/mock.mjs";
import { installPortkey, startPortkey } from "./overhead/targets/portkey.mjs";
import { oneQuery } from "./overhead/targets/target.mjs";
import { startUpstash } from "./overhead/targets/upstash.mjs";
import { startWranglerDev } from "./overhead/targets/wrangler-dev.mjs";

const results = {
  generatedAt: new Date().toISOString(),
  settings: {
    durationS: DURATION,
    warmupS: WARMUP,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    ttftRequests: TTFT_TOTAL,
    cpuRequests: CPU_REQUESTS,
  },
  machine: {},
  bundle: {},
  coldStart: {},
  load: {},
  ttft: {},
  cpu: {},
  delivery: {},
  ratios: {},
  goals: [],
  notes: [],
};

/** A profile's five heaviest functions by self time, for the log. */
const topFive = (profile) =>
  profile.top
    .slice(0, 5)
    .map((t) => `${t.pct}% ${t.where}`)
    .join(" | ");

const runDir = path.join(import.meta.dirname, ".state", `run-${Date.now()}`);
fs.mkdirSync(runDir, { recursive: true });
const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
const masterKey = crypto.randomBytes(32).toString("base64");

try {
  results.machine = describeMachine();
  log("machine", JSON.stringify(results.machine));
  const portkeyVersion = installPortkey(results.notes);
  if (portkeyVersion) results.machine.portkeyGateway = portkeyVersion;

  const { bundlePath, bundle } = await buildBundle(runDir);
  results.bundle = bundle;
  log("bundle", JSON.stringify(results.bundle));

  // ---------------------------------------------------------------- targets, in the order they are measured
  const mock = await startMock();
  const { upstash, vars: upstashVars } = await startUpstash(results.notes);
  const targets = { direct: mock.direct };
  const settleAll = () => settle(Object.values(targets).flatMap((t) => (t.treePids ?? t.pids)()));
  if (!PROFILE_ONLY && !AB_ONLY) targets.bare = await startBareProxy(mock.url, mock.direct.headers);
  const workerd = await startEdgeserveOnWorkerd(
    { runDir, bundlePath, adminToken, masterKey, upstashVars, mockUrl: mock.url },
    { targets, coldStart: results.coldStart },
  );
  if (WITH_DEV) {
    const dev = await startWranglerDev({ runDir, adminToken, masterKey, upstashVars, mockUrl: mock.url });
    targets.dev = dev.target;
    results.coldStart.edgeserveWranglerDev = dev.coldStart;
  } else results.notes.push("wrangler dev target skipped (BENCH_SKIP_DEV).");
  if (portkeyVersion && !QUICK) {
    const portkey = await startPortkey(mock.url);
    targets.portkey = portkey.target;
    results.coldStart.portkey = portkey.coldStart;
  }
  // An A/B run measures the two gateways only.
  if (AB_ONLY) delete targets.direct;
  // Sanity: every target answers the same chat request with 200.
  for (const [k, t] of Object.entries(targets)) {
    const r = await oneQuery(t);
    if (r.status !== 200) throw new Error(`${k}: ${r.status} ${r.text.slice(0, 400)}`);
  }

  // ---------------------------------------------------------------- measurements
  await measureLoad(targets, settleAll, results.load);
  await measureTtft(targets, settleAll, mock.url, results.ttft);
  if (!AB_ONLY) await measureCpu({ targets, settleAll, mockPid: mock.pid, upstash, adminToken }, results);
  if (workerd.inspectorPort) {
    await workerd.restartWithInspector();
    log(
      `profiling the gateway for ${PROFILE_SECONDS}s under load ` +
        "(an instance with an inspector, after the measurements)",
    );
    results.profile = await profileUnderLoad(targets.edgeserve, workerd.inspectorPort);
    log(`  → top: ${topFive(results.profile)}`);
    // A full run also profiles streams, whose time to first token under concurrency is a goal of its own.
    if (!QUICK && !STREAM) {
      log(`profiling the gateway for ${PROFILE_SECONDS}s under 32 concurrent streams`);
      results.streamProfile = await profileUnderLoad(targets.edgeserve, workerd.inspectorPort, true);
      log(`  → top: ${topFive(results.streamProfile)}`);
    }
  }

  // ---------------------------------------------------------------- goals
  computeRatios(results, targets);
  checkGoals(results);
  results.productionPath = describeProductionPath(upstash);
} catch (e) {
  results.error = String(e.stack ?? e);
  console.error(e);
  process.exitCode = 1;
} finally {
  await stopAll();
  results.totalSeconds = r3((Date.now() - startedAt) / 1000);
  if (!KEEP_STATE) fs.rmSync(runDir, { recursive: true, force: true });
}

if (QUICK) {
  printQuickRun(results);
  process.exit(process.exitCode ?? 0);
}
writeResults(results);
