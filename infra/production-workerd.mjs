// The production bundles (infra/production-bundles.mjs) on workerd through Miniflare's API: the options
// `pnpm serve` (infra/serve.mjs) starts, and the benchmark too (bench/workerd-server.mjs), so what
// `pnpm bench` measures is what `pnpm serve` runs. Each worker gets the bindings of its wrangler.toml;
// D1/R2/KV/Queues are local, in <stateDir>/v3 as `wrangler dev --persist-to` lays them out.
import path from "node:path";
import { repoRoot, workerdEnv } from "./local-stack.mjs";
import { BUNDLES, bundleModules } from "./production-bundles.mjs";

export const GATEWAY = "edgeserve-gateway";
const INFERENCE = "edgeserve-inference";

/** wrangler's Miniflare options for a wrangler.toml (imported late: wrangler resolves once setup has run). */
async function optionsOf(config) {
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  return unstable_getMiniflareWorkerOptions(path.join(repoRoot, config)).workerOptions;
}

/**
 * The gateway worker: the bundle in `bundleDir` (dist/gateway by default) with wrangler.toml's bindings
 * plus `vars` and `secrets`, listening on 127.0.0.1:`port` when one is given. Requests on that socket go
 * straight to the gateway, not through Miniflare's entry worker, and its outbound fetches go straight out,
 * not through the worker Miniflare adds to strip CF-Connecting-IP: production has neither hop.
 */
export async function gatewayWorker({ bundleDir = BUNDLES.gateway.outdir, port, vars = {}, secrets = {} }) {
  const options = await optionsOf(BUNDLES.gateway.config);
  return {
    ...options,
    name: GATEWAY,
    modules: bundleModules(bundleDir),
    modulesRoot: bundleDir,
    bindings: { ...options.bindings, ...vars, ...secrets },
    ...(port ? { unsafeDirectSockets: [{ host: "127.0.0.1", port }] } : {}),
    stripCfConnectingIp: false,
  };
}

/** The inference worker (custom models, the built-in embeddings model), from dist/inference. */
export async function inferenceWorker() {
  const options = await optionsOf(BUNDLES.inference.config);
  return {
    ...options,
    name: INFERENCE,
    modules: bundleModules(BUNDLES.inference.outdir),
    modulesRoot: BUNDLES.inference.outdir,
  };
}

/** The cron triggers of the gateway's wrangler.toml. */
export async function gatewayCrons() {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: path.join(repoRoot, BUNDLES.gateway.config) }).triggers?.crons ?? [];
}

/**
 * A Miniflare instance's options for `workers` on `stateDir`. The workers' service logs (console.log JSON
 * lines) go to this process's stdout and stderr with `log`, else are dropped (the operator's to ship).
 * Sets, for the workerd Miniflare spawns, the V8 flags every local stack runs with (infra/workerd-v8-flags).
 */
export async function miniflareOptions({ stateDir, workers, log = true, inspectorPort }) {
  Object.assign(process.env, workerdEnv());
  const { Log, LogLevel } = await import("miniflare");
  return {
    host: "127.0.0.1",
    port: 0,
    d1Persist: path.join(stateDir, "v3", "d1"),
    kvPersist: path.join(stateDir, "v3", "kv"),
    r2Persist: path.join(stateDir, "v3", "r2"),
    cachePersist: path.join(stateDir, "v3", "cache"),
    durableObjectsPersist: path.join(stateDir, "v3", "do"),
    log: new Log(LogLevel.WARN),
    // No download of the `Request.cf` object from Cloudflare: a placeholder, as offline `wrangler dev` uses.
    cf: false,
    ...(inspectorPort ? { inspectorPort } : {}),
    handleRuntimeStdio(stdout, stderr) {
      if (log) {
        stdout.pipe(process.stdout);
        stderr.pipe(process.stderr);
      } else {
        stdout.resume();
        stderr.resume();
      }
    },
    workers,
  };
}
