// Rate limits: a real redis-server behind the local Upstash REST bridge (bench/upstash-server.mjs), in a
// process of its own. Without redis-server (or with BENCH_RATE_LIMITS=0) the gateways run without it.
import path from "node:path";
import { REDIS_INSTALL_HINT, redisServerAvailable } from "../../../infra/upstash-bridge/index.mjs";
import { log } from "../log.mjs";
import { processTree } from "../proc-cpu.mjs";
import { onStop, spawnNode } from "../processes.mjs";
import { RATE_LIMITS } from "../settings.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

/**
 * Starts the bridge when the run enforces rate limits. `upstash` is null when it does not (the note says
 * why); `vars` are the gateways' UPSTASH_REDIS_REST_URL/_TOKEN.
 */
export async function startUpstash(notes) {
  if (!RATE_LIMITS) {
    notes.push(
      "BENCH_RATE_LIMITS=0: run without Upstash, so the configured rate limit was not enforced " +
        "(no Redis round trip per query).",
    );
    return { upstash: null, vars: {} };
  }
  if (!redisServerAvailable()) {
    notes.push(
      "redis-server is not installed, so the gateways ran without rate limits " +
        `(the configured limit is not enforced without Upstash). ${REDIS_INSTALL_HINT}`,
    );
    return { upstash: null, vars: {} };
  }
  const server = spawnNode("upstash", [path.join(benchDir, "upstash-server.mjs")], {
    ready: /^READY (\S+) (\S+) (\d+)/,
  });
  const [, url, token, redisPort] = (await server.started).match;
  onStop(server.stop);
  const upstash = {
    url,
    token,
    redisPort: Number(redisPort),
    pids: () => processTree(server.child.pid).map((p) => p.pid),
  };
  log("Upstash bridge at", upstash.url, "over redis-server on port", upstash.redisPort);
  return { upstash, vars: { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token } };
}
