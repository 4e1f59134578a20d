#!/usr/bin/env node
// `pnpm serve`: Edgeserve as production runs it, on one machine. The bundles `wrangler deploy` would upload
// (infra/production-bundles.mjs), the gateway and the inference worker, on workerd through Miniflare's API
// with the bindings of their wrangler.toml and local D1/R2/KV/Queues in .edgeserve/state (the same state
// `pnpm dev` uses). Unlike `wrangler dev` (infra/dev.mjs): no proxy worker buffering requests in front, no
// file watching or rebuilds, no inspector, and requests reach the gateway on a socket of its own instead of
// through Miniflare's entry worker. The cron triggers of wrangler.toml run on schedule (croner).
//
//   pnpm serve                 # PORT, EDGESERVE_ADMIN_TOKEN, EDGESERVE_MASTER_KEY, UPSTASH_* as for pnpm dev
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Cron } from "croner";
import { ensureBuiltinEmbeddingsEndpoint, seedBuiltinModels, waitForInferenceWorker } from "./builtin-models.mjs";
import { applyMigrations, waitForHealth } from "./local-stack.mjs";
import { foundationModelVars, localCredentials, rateLimiterVars, runningBanner, stateDir } from "./local-settings.mjs";
import { buildProductionBundles } from "./production-bundles.mjs";
import { GATEWAY, gatewayCrons, gatewayWorker, inferenceWorker, miniflareOptions } from "./production-workerd.mjs";

/**
 * Builds the bundles, migrates and seeds the state, starts both workers and resolves once a query crosses
 * the gateway → inference worker binding.
 * @param {{ port: number, stateDir: string, adminToken: string, masterKey: string, previousMasterKey?: string,
 *           vars?: Record<string, string>, log?: boolean, build?: boolean, inspectorPort?: number }} options
 */
export async function startProductionStack({
  port,
  stateDir,
  adminToken,
  masterKey,
  previousMasterKey,
  vars = {},
  log = true,
  build = true,
  inspectorPort,
}) {
  stateDir = path.resolve(stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  if (build) await buildProductionBundles({ stateDir });
  await applyMigrations({ stateDir });
  await seedBuiltinModels(stateDir);
  const secrets = {
    EDGESERVE_ADMIN_TOKEN: adminToken,
    EDGESERVE_MASTER_KEY: masterKey,
    ...(previousMasterKey ? { EDGESERVE_MASTER_KEY_PREVIOUS: previousMasterKey } : {}),
  };
  const workers = [await gatewayWorker({ port, vars, secrets }), await inferenceWorker()];
  const crons = await gatewayCrons();
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare(await miniflareOptions({ stateDir, workers, log, inspectorPort }));
  const jobs = [];
  let stopped = null;
  const stop = () =>
    (stopped ??= (async () => {
      for (const job of jobs) job.stop();
      await mf.dispose().catch(() => {});
    })());
  try {
    await mf.ready;
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, { timeoutMs: 60_000, what: "Edgeserve" });
    await ensureBuiltinEmbeddingsEndpoint(url, adminToken);
    await waitForInferenceWorker(url, adminToken);
    const gateway = await mf.getWorker(GATEWAY);
    for (const cron of crons) {
      // Overlapping runs are skipped (protect): the retention job is idempotent but need not run twice at once.
      jobs.push(new Cron(cron, { protect: true }, () => gateway.scheduled({ cron }).catch(() => {})));
    }
    return { url, stop, crons };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function serve({ port = Number(process.env.PORT ?? 8787) } = {}) {
  let stack = null;
  let upstash = null;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Edgeserve...");
    await stack?.stop();
    await upstash?.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("SIGHUP", shutdown);

  const credentials = localCredentials();
  const limiter = await rateLimiterVars();
  upstash = limiter.upstash;
  console.log("Building the production bundles and starting workerd...");
  stack = await startProductionStack({
    port,
    stateDir,
    adminToken: credentials.adminToken,
    masterKey: credentials.masterKey,
    ...(credentials.previousMasterKey ? { previousMasterKey: credentials.previousMasterKey } : {}),
    vars: { ...foundationModelVars(), ...limiter.vars },
  });
  console.log(runningBanner({ url: stack.url, credentials, upstash, how: "production bundles on workerd" }));
  return stack;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
