#!/usr/bin/env node
// `pnpm dev`: the gateway under `wrangler dev` on http://127.0.0.1:${PORT:-8787} with local D1/R2/KV/Queues in
// .edgeserve/state. Credentials and the rate limiter: infra/local-settings.mjs. `pnpm serve` (infra/serve.mjs)
// runs the production bundles instead.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalStack, stopAllStacks } from "./local-stack.mjs";
import { foundationModelVars, localCredentials, rateLimiterVars, runningBanner, stateDir } from "./local-settings.mjs";

export async function dev({ port = Number(process.env.PORT ?? 8787) } = {}) {
  // Installed before starting so that Ctrl-C during startup also takes wrangler and workerd down.
  let stopping = false;
  let upstash = null;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Edgeserve...");
    await stopAllStacks();
    await upstash?.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("SIGHUP", shutdown);

  const credentials = localCredentials();
  const limiter = await rateLimiterVars();
  upstash = limiter.upstash;
  const stack = await startLocalStack({
    port,
    stateDir,
    adminToken: credentials.adminToken,
    masterKey: credentials.masterKey,
    ...(credentials.previousMasterKey ? { previousMasterKey: credentials.previousMasterKey } : {}),
    vars: { ...foundationModelVars(), ...limiter.vars },
  });
  console.log(runningBanner({ url: stack.url, credentials, upstash, how: "wrangler dev" }));
  return stack;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  dev().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
