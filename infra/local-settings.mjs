// What `pnpm dev` and `pnpm serve` share: the admin token, the master key and the rate limiter's Upstash.
// The admin token comes from EDGESERVE_ADMIN_TOKEN, else is generated once into .edgeserve/admin-token;
// the master key (encrypts secrets at rest) from EDGESERVE_MASTER_KEY, else .edgeserve/master-key; during a
// master-key rotation EDGESERVE_MASTER_KEY_PREVIOUS holds the old one.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LOCAL_FOUNDATION_MODELS, repoRoot } from "./local-stack.mjs";
import { REDIS_INSTALL_HINT, redisServerAvailable, startLocalUpstash } from "./upstash-bridge/index.mjs";

const localDir = path.join(repoRoot, ".edgeserve");
/** Local D1, R2, KV and Queues: .edgeserve/state, or EDGESERVE_STATE_DIR (a second stack, a test's own state). */
export const stateDir = process.env.EDGESERVE_STATE_DIR
  ? path.resolve(process.env.EDGESERVE_STATE_DIR)
  : path.join(localDir, "state");

/** Reads a value kept in .edgeserve/<name>, creating it (readable only by us) on first use. */
function keptValue(name, generate) {
  const file = path.join(localDir, name);
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, "utf8").trim(), file };
  fs.mkdirSync(localDir, { recursive: true });
  const value = generate();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, file };
}

/**
 * The admin token (and where it came from, for the banner), the master key and, during a rotation, the
 * previous one.
 */
export function localCredentials() {
  const admin = process.env.EDGESERVE_ADMIN_TOKEN
    ? { value: process.env.EDGESERVE_ADMIN_TOKEN, file: null }
    : keptValue("admin-token", () => `dapi${crypto.randomBytes(16).toString("hex")}`);
  const masterKey =
    process.env.EDGESERVE_MASTER_KEY || keptValue("master-key", () => crypto.randomBytes(32).toString("base64")).value;
  return {
    adminToken: admin.value,
    adminTokenSource: admin.file ? `kept in ${path.relative(process.cwd(), admin.file)}` : "from EDGESERVE_ADMIN_TOKEN",
    masterKey,
    previousMasterKey: process.env.EDGESERVE_MASTER_KEY_PREVIOUS || undefined,
  };
}

/**
 * Rate limits: real Upstash when configured, else the local bridge over redis-server, else off (and said so).
 * Returns the worker vars and the bridge, if one was started (to stop it).
 */
export async function rateLimiterVars() {
  if (process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN) {
    const vars = {
      UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL,
      UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN,
    };
    return { vars, upstash: null };
  }
  if (!redisServerAvailable()) {
    console.warn(`Rate limits will not be enforced: ${REDIS_INSTALL_HINT}`);
    return { vars: {}, upstash: null };
  }
  const upstash = await startLocalUpstash();
  return { vars: { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token }, upstash };
}

/**
 * The Foundation Model APIs to serve (docs/foundation-models.md): EDGESERVE_FOUNDATION_MODELS from the
 * environment, else the local default (the embeddings model on the inference worker's encoder).
 */
export function foundationModelVars() {
  return {
    EDGESERVE_FOUNDATION_MODELS: process.env.EDGESERVE_FOUNDATION_MODELS || JSON.stringify(LOCAL_FOUNDATION_MODELS),
  };
}

/** Where the rate limiter's Upstash stand-in listens, for the banner. */
function upstashLine(upstash) {
  return `local Upstash bridge at ${upstash.url} (redis-server on port ${upstash.redisPort})`;
}

/** The banner both commands print once the stack answers. */
export function runningBanner({ url, credentials, upstash, how }) {
  return `
Edgeserve is running at ${url} (${how})
Admin token (${credentials.adminTokenSource}): ${credentials.adminToken}

  curl -H "Authorization: Bearer ${credentials.adminToken}" ${url}/api/2.0/serving-endpoints

${upstash ? `Rate limits: ${upstashLine(upstash)}\n` : ""}Press Ctrl-C to stop.
`;
}
