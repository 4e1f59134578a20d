#!/usr/bin/env node
// `pnpm dev`: the gateway on http://127.0.0.1:${PORT:-8787} with local D1/R2/KV/Queues in .edgeserve/state.
// The admin token comes from EDGESERVE_ADMIN_TOKEN, else is generated once into .edgeserve/admin-token;
// the master key (encrypts secrets at rest) from EDGESERVE_MASTER_KEY, else .edgeserve/master-key; during a
// master-key rotation EDGESERVE_MASTER_KEY_PREVIOUS holds the old one.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot, startLocalStack, stopAllStacks } from "./local-stack.mjs";
import { REDIS_INSTALL_HINT, redisServerAvailable, startLocalUpstash } from "./upstash-bridge/index.mjs";

const localDir = path.join(repoRoot, ".edgeserve");

/** Reads a value kept in .edgeserve/<name>, creating it (readable only by us) on first use. */
function keptValue(name, generate) {
  const file = path.join(localDir, name);
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, "utf8").trim(), created: false, file };
  fs.mkdirSync(localDir, { recursive: true });
  const value = generate();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true, file };
}

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

  const admin = process.env.EDGESERVE_ADMIN_TOKEN
    ? { value: process.env.EDGESERVE_ADMIN_TOKEN, created: false, file: null }
    : keptValue("admin-token", () => `dapi${crypto.randomBytes(16).toString("hex")}`);
  const masterKey =
    process.env.EDGESERVE_MASTER_KEY || keptValue("master-key", () => crypto.randomBytes(32).toString("base64")).value;

  // Rate limits: real Upstash when configured, else the local bridge over redis-server, else off (and said so).
  let upstashVars = {};
  if (process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN) {
    upstashVars = {
      UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL,
      UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN,
    };
  } else if (redisServerAvailable()) {
    upstash = await startLocalUpstash();
    upstashVars = { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token };
  } else {
    console.warn(`Rate limits will not be enforced: ${REDIS_INSTALL_HINT}`);
  }

  const stack = await startLocalStack({
    port,
    stateDir: path.join(localDir, "state"),
    adminToken: admin.value,
    masterKey,
    ...(process.env.EDGESERVE_MASTER_KEY_PREVIOUS
      ? { previousMasterKey: process.env.EDGESERVE_MASTER_KEY_PREVIOUS }
      : {}),
    vars: upstashVars,
  });

  const where = admin.file ? `kept in ${path.relative(process.cwd(), admin.file)}` : "from EDGESERVE_ADMIN_TOKEN";
  console.log(`
Edgeserve is running at ${stack.url}
Admin token (${where}): ${admin.value}

  curl -H "Authorization: Bearer ${admin.value}" ${stack.url}/api/2.0/serving-endpoints

${upstash ? `Rate limits: local Upstash bridge at ${upstash.url} (redis-server on port ${upstash.redisPort})\n` : ""}Press Ctrl-C to stop.
`);
  return stack;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  dev().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
