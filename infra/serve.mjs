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
import { applyMigrations, repoRoot, workerdEnv } from "./local-stack.mjs";
import { foundationModelVars, localCredentials, rateLimiterVars, runningBanner, stateDir } from "./local-settings.mjs";
import { BUNDLES, buildProductionBundles, bundleModules } from "./production-bundles.mjs";

const GATEWAY = "edgeserve-gateway";

/** Miniflare options for both workers on `stateDir`, the gateway listening on 127.0.0.1:`port`. */
async function workerOptions({ port, stateDir, secrets, vars, log, inspectorPort }) {
  // Imported here: both resolve from node_modules, which infra/setup.mjs installs first.
  const { unstable_getMiniflareWorkerOptions, unstable_readConfig } = await import("wrangler");
  const { Log, LogLevel } = await import("miniflare");
  const options = (bundle) => unstable_getMiniflareWorkerOptions(path.join(repoRoot, bundle.config)).workerOptions;
  const gateway = options(BUNDLES.gateway);
  const inference = options(BUNDLES.inference);
  const crons = unstable_readConfig({ config: path.join(repoRoot, BUNDLES.gateway.config) }).triggers?.crons ?? [];
  return {
    crons,
    miniflare: {
      host: "127.0.0.1",
      port: 0,
      // The layout of `wrangler dev --persist-to <state>`: <state>/v3/<kind>.
      d1Persist: path.join(stateDir, "v3", "d1"),
      kvPersist: path.join(stateDir, "v3", "kv"),
      r2Persist: path.join(stateDir, "v3", "r2"),
      cachePersist: path.join(stateDir, "v3", "cache"),
      durableObjectsPersist: path.join(stateDir, "v3", "do"),
      log: new Log(LogLevel.WARN),
      // workerd's V8 inspector (bench/sustained.mjs reads each isolate's heap through it); off unless asked for.
      ...(inspectorPort ? { inspectorPort } : {}),
      // No download of the `Request.cf` object from Cloudflare: a placeholder, as offline `wrangler dev` uses.
      cf: false,
      // The workers' service logs (console.log JSON lines) are the operator's to read or ship.
      handleRuntimeStdio(stdout, stderr) {
        if (log) {
          stdout.pipe(process.stdout);
          stderr.pipe(process.stderr);
        } else {
          stdout.resume();
          stderr.resume();
        }
      },
      workers: [
        {
          ...gateway,
          name: GATEWAY,
          modules: bundleModules(BUNDLES.gateway.outdir),
          modulesRoot: BUNDLES.gateway.outdir,
          bindings: { ...gateway.bindings, ...vars, ...secrets },
          // Requests arrive on this socket straight to the gateway, not through Miniflare's entry worker.
          unsafeDirectSockets: [{ host: "127.0.0.1", port }],
          stripCfConnectingIp: false,
        },
        {
          ...inference,
          name: "edgeserve-inference",
          modules: bundleModules(BUNDLES.inference.outdir),
          modulesRoot: BUNDLES.inference.outdir,
        },
      ],
    },
  };
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Edgeserve did not answer GET /health within ${timeoutMs / 1000} s`);
}

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
  // The V8 flags of local workerd (infra/workerd-v8-flags): Miniflare reads these when it spawns workerd.
  Object.assign(process.env, workerdEnv());
  const { Miniflare } = await import("miniflare");
  const secrets = {
    EDGESERVE_ADMIN_TOKEN: adminToken,
    EDGESERVE_MASTER_KEY: masterKey,
    ...(previousMasterKey ? { EDGESERVE_MASTER_KEY_PREVIOUS: previousMasterKey } : {}),
  };
  const { miniflare, crons } = await workerOptions({ port, stateDir, secrets, vars, log, inspectorPort });
  const mf = new Miniflare(miniflare);
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
    await waitForHealth(url, 60_000);
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
