// The local stack: the gateway worker under `wrangler dev` with local D1, R2, KV and Queues
// persisted in one state directory. Used by `pnpm dev` (infra/dev.mjs) and the e2e suite (test/).
//
//   const stack = await startLocalStack({ port, stateDir, adminToken, masterKey });
//   ... fetch(`${stack.url}/health`) ...
//   await stack.stop();
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { ensureBuiltinEmbeddingsEndpoint, seedBuiltinModels, waitForInferenceWorker } from "./builtin-models.mjs";
import { ensureConsoleBuilt } from "./console-build.mjs";

export const repoRoot = path.resolve(import.meta.dirname, "..");

/** Stacks started by this process that have not been stopped yet. */
const live = new Set();

/** SIGKILLs every stack's process group right away; safe in a synchronous 'exit' handler. */
function killAllNow() {
  for (const child of live) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
process.on("exit", killAllNow);

/** Stops every stack this process started (also those still starting). For signal handlers. */
export async function stopAllStacks() {
  await Promise.all([...live].map((child) => killGroup(child)));
}

/** Resolves the repo's pinned wrangler so that we run it with this node, without npx or a shell. */
function wranglerBin() {
  const require = createRequire(path.join(repoRoot, "package.json"));
  return require.resolve("wrangler/bin/wrangler.js");
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Local workerd runs with V8 flags through infra/workerd-v8-flags/workerd (its header says why):
 * `--single-threaded-gc` unless EDGESERVE_WORKERD_V8_FLAGS says otherwise ("" for none).
 */
export function workerdEnv() {
  return {
    MINIFLARE_WORKERD_PATH: process.env.MINIFLARE_WORKERD_PATH ?? path.join(repoRoot, "infra/workerd-v8-flags/workerd"),
    EDGESERVE_WORKERD_V8_FLAGS: process.env.EDGESERVE_WORKERD_V8_FLAGS ?? "--single-threaded-gc",
  };
}

/**
 * Environment for every wrangler call: no metrics, no error reports, no `Request.cf` download,
 * and wrangler's own config/log/registry files inside the state dir instead of ~/.config.
 */
export function wranglerEnv(stateDir, extra = {}) {
  return {
    ...process.env,
    ...workerdEnv(),
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    XDG_CONFIG_HOME: path.join(stateDir, "config"),
    WRANGLER_LOG_PATH: path.join(stateDir, "logs"),
    WRANGLER_REGISTRY_PATH: path.join(stateDir, "registry"),
    // Never let a developer's shell leak into the worker as bindings.
    CLOUDFLARE_INCLUDE_PROCESS_ENV: "false",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  };
}

/** Runs wrangler to completion with stdin closed; rejects with its output on a non-zero exit. */
export function runWrangler(args, { stateDir, quiet = true, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin(), ...args], {
      cwd: repoRoot,
      env: wranglerEnv(stateDir, env),
      stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(" ")} exited with ${code}\n${output}`));
    });
  });
}

/** Applies the D1 migrations of wrangler.toml to the local database in `stateDir`. */
export async function applyMigrations({ stateDir, quiet = true }) {
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], { stateDir, quiet });
}

/** Writes the worker's secrets to an env file only we can read; wrangler loads it with --env-file. */
function writeSecretsFile(stateDir, secrets) {
  const file = path.join(stateDir, "secrets.env");
  const lines = Object.entries(secrets).map(([k, v]) => `${k}=${JSON.stringify(String(v))}`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/**
 * Polls GET <url>/health until it answers 2xx, for at most `timeoutMs`. `gone()`, when given, says how the
 * process that should answer has exited (else null): then there is nothing left to wait for.
 * @param {string} url
 * @param {{ timeoutMs: number, what: string, gone?: () => string | null, describeFailure?: () => string }} options
 */
export async function waitForHealth(url, { timeoutMs, what, gone = () => null, describeFailure = () => "" }) {
  const deadline = Date.now() + timeoutMs;
  const failure = (message) => new Error([message, describeFailure()].filter(Boolean).join("\n"));
  while (Date.now() < deadline) {
    const exited = gone();
    if (exited) throw failure(`${what} ${exited} before /health answered`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw failure(`${what} did not answer GET /health within ${timeoutMs / 1000} s`);
}

/** Kills the whole process group (wrangler and the workerd it spawned), SIGKILL after a grace period. */
async function killGroup(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // Already gone.
      }
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler for a moment; make sure nothing of the group survives.
  signal("SIGKILL");
}

/**
 * The Foundation Model APIs the local stack serves unless `vars` says otherwise: the embeddings model on the
 * inference worker's built-in encoder, which answers offline (512-dimensional vectors, whatever the name says;
 * docs/foundation-models.md). The price is an example for the usage records, not Databricks' price.
 */
export const LOCAL_FOUNDATION_MODELS = {
  "databricks-gte-large-en": { backend: "inference", price_per_million_tokens: { input: 0.1, output: 0 } },
};

/**
 * Starts the stack and resolves once GET /health answers.
 * @param {{ port: number, stateDir: string, adminToken: string, masterKey: string, previousMasterKey?: string,
 *           vars?: Record<string, string>, quiet?: boolean, timeoutMs?: number }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, logFile: string | null }>}
 */
export async function startLocalStack({
  port,
  stateDir,
  adminToken,
  masterKey,
  previousMasterKey,
  vars = {},
  quiet = false,
  timeoutMs = 120_000,
}) {
  if (!port) throw new Error("startLocalStack: port is required");
  if (!stateDir) throw new Error("startLocalStack: stateDir is required");
  if (!adminToken || !masterKey) throw new Error("startLocalStack: adminToken and masterKey are required");
  stateDir = path.resolve(stateDir);
  fs.mkdirSync(stateDir, { recursive: true });

  // wrangler dev serves the console from packages/console/dist (wrangler.toml [assets]) and refuses to
  // start without it.
  await ensureConsoleBuilt({ quiet });
  await applyMigrations({ stateDir, quiet });
  await seedBuiltinModels(stateDir);

  const envFile = writeSecretsFile(stateDir, {
    EDGESERVE_ADMIN_TOKEN: adminToken,
    EDGESERVE_MASTER_KEY: masterKey,
    // Only during a master-key rotation (README, "Rotating the master key").
    ...(previousMasterKey ? { EDGESERVE_MASTER_KEY_PREVIOUS: previousMasterKey } : {}),
  });
  const inspectorPort = await freePort();
  const args = [
    wranglerBin(),
    "dev",
    // The gateway and the inference worker (its INFERENCE service binding) in one workerd, sharing the state dir.
    "-c",
    "wrangler.toml",
    "-c",
    "workers/inference/wrangler.toml",
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    String(inspectorPort),
    "--inspector-ip",
    "127.0.0.1",
    "--persist-to",
    stateDir,
    "--env-file",
    envFile,
    "--show-interactive-dev-session=false",
    "--live-reload=false",
    ...Object.entries({ EDGESERVE_FOUNDATION_MODELS: JSON.stringify(LOCAL_FOUNDATION_MODELS), ...vars }).flatMap(
      ([k, v]) => ["--var", `${k}:${v}`],
    ),
  ];

  const logFile = quiet ? path.join(stateDir, "wrangler-dev.log") : null;
  const log = logFile ? fs.openSync(logFile, "a") : null;
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: wranglerEnv(stateDir),
    // Own process group so stop() can take workerd down with wrangler.
    detached: true,
    stdio: ["ignore", log ?? "inherit", log ?? "inherit"],
  });

  live.add(child);
  child.once("exit", () => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  let stopped = null;
  const stop = () => (stopped ??= killGroup(child).finally(() => log !== null && fs.closeSync(log)));

  const tail = () =>
    logFile ? fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n") : "(see output above)";
  try {
    const gone = () =>
      child.exitCode !== null || child.signalCode !== null ? `exited (${child.exitCode ?? child.signalCode})` : null;
    await waitForHealth(url, { timeoutMs, what: "wrangler dev", gone, describeFailure: tail });
    await ensureBuiltinEmbeddingsEndpoint(url, adminToken);
    await waitForInferenceWorker(url, adminToken);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    logFile,
    stop,
  };
}
