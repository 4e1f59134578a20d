import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { unstable_readConfig } from "wrangler";

const root = path.join(import.meta.dirname, "../../..");
const configPath = path.join(root, "wrangler.toml");

/**
 * A second gateway, built from the same wrangler.toml as production (`wrangler deploy --dry-run`) and run
 * by Miniflare beside the tests' own: another isolate with its own caches over the same D1 database, R2
 * bucket and queues. What it writes through the API reaches the tests' isolate only as it would reach
 * another isolate in production: through storage, within the cache TTL. Its queues are only produced to
 * (the tests' isolate consumes them, as one consumer does in production).
 */
export function peerGatewayWorker(bindings: Record<string, string>) {
  const outdir = buildOnce();
  const config = unstable_readConfig({ config: configPath });
  return {
    name: "edgeserve-gateway-peer",
    modulesRoot: outdir,
    modules: [{ type: "ESModule" as const, path: path.join(outdir, "index.js") }],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    d1Databases: Object.fromEntries(
      config.d1_databases.map((d: { binding: string; database_id?: string }) => [d.binding, d.database_id!]),
    ),
    r2Buckets: Object.fromEntries(
      config.r2_buckets.map((b: { binding: string; bucket_name?: string }) => [b.binding, b.bucket_name!]),
    ),
    kvNamespaces: Object.fromEntries(
      config.kv_namespaces.map((k: { binding: string; id?: string }) => [k.binding, k.id!]),
    ),
    queueProducers: Object.fromEntries(
      (config.queues.producers ?? []).map((q: { binding: string; queue: string }) => [
        q.binding,
        { queueName: q.queue },
      ]),
    ),
    bindings: { ...(config.vars as Record<string, string>), ...bindings },
  };
}

let built: string | undefined;

/** The bundle `wrangler deploy --dry-run` writes (once per run: the pool asks for the options per test file). */
function buildOnce(): string {
  if (built) return built;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-gateway-peer-"));
  const wrangler = createRequire(configPath).resolve("wrangler/bin/wrangler.js");
  const result = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", configPath], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      XDG_CONFIG_HOME: outdir,
      WRANGLER_LOG_PATH: outdir,
    },
  });
  if (result.status !== 0) throw new Error(`building the gateway failed:\n${result.stdout}\n${result.stderr}`);
  built = outdir;
  return outdir;
}
