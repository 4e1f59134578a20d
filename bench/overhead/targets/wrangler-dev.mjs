// Edgeserve under wrangler dev: startLocalStack() from infra/local-stack.mjs, as `pnpm dev` and the e2e
// suites run it. Reported for comparison: it includes dev-only layers.
import path from "node:path";
import { applyMigrations, freePort, startLocalStack } from "../../../infra/local-stack.mjs";
import { provision } from "../bench-endpoint.mjs";
import { log, r3 } from "../log.mjs";
import { findWranglerDevPid, processTree } from "../proc-cpu.mjs";
import { onStop } from "../processes.mjs";
import { edgeserveTarget, untilAnswered } from "./target.mjs";

/** Provisions a first stack, then restarts it on that state to time the start; the target and its cold start. */
export async function startWranglerDev({ runDir, adminToken, masterKey, upstashVars, mockUrl }) {
  const devState = path.join(runDir, "dev-state");
  const devPort = await freePort();
  const stackOptions = { port: devPort, stateDir: devState, adminToken, masterKey, vars: upstashVars, quiet: true };
  const t0 = process.hrtime.bigint();
  let dev = await startLocalStack(stackOptions);
  const firstStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const devIds = await provision(dev.url, adminToken, mockUrl);
  await dev.stop();
  // Restart on the provisioned state: startLocalStack applies migrations (a no-op now) then runs wrangler dev.
  const t1 = process.hrtime.bigint();
  dev = await startLocalStack(stackOptions);
  const healthMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const target = edgeserveTarget(dev.url, devIds.token, "Edgeserve (wrangler dev)");
  const firstQueryMs = await untilAnswered(target, t1);
  onStop(() => dev.stop());
  const tNoop = Date.now();
  await applyMigrations({ stateDir: devState });
  const noopMigrationsMs = Date.now() - tNoop;
  const wranglerPid = findWranglerDevPid(path.resolve(devState));
  const tree = wranglerPid ? processTree(wranglerPid) : [];
  target.pids = () => tree.filter((p) => p.comm.startsWith("workerd")).map((p) => p.pid);
  target.treePids = () => tree.map((p) => p.pid);
  const coldStart = {
    startLocalStackMs: r3(healthMs),
    processStartToFirstQueryMs: r3(firstQueryMs),
    noopMigrationsApplyMs: noopMigrationsMs,
    estimatedWranglerDevStartToFirstQueryMs: r3(firstQueryMs - noopMigrationsMs),
    firstStartIncludingMigrationsMs: r3(firstStartMs),
    processes: tree.map((p) => p.comm),
  };
  log("cold start (wrangler dev)", JSON.stringify(coldStart));
  return { target, coldStart };
}
