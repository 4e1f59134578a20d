// `pnpm bench`: measures the gateway's overhead side by side with a direct call and with Portkey's
// gateway, against one fast local mock, and writes bench/results.json and bench/RESULTS.md.
// See bench/README.md for what each scenario measures. Only 127.0.0.1 is ever contacted (plus the
// npm registry once, to install the Portkey peer into bench/peers if it is missing).
//
// Knobs (env): BENCH_DURATION (s per load run, default 6), BENCH_WARMUP (s, default 2), BENCH_ROUNDS
// (interleaved load rounds per target, the median reported, default 3),
// BENCH_TTFT (streamed requests per TTFT run at 1 connection, default 150), BENCH_CPU_REQUESTS
// (requests per CPU-time run, default 3000), BENCH_SKIP_DEV=1 (skip the wrangler dev target),
// BENCH_PROFILE=0 (skip the CPU profile of the hot path), BENCH_ONLY=profile (just the profile, printed;
// RESULTS.md untouched), BENCH_ONLY=ttft (streaming TTFT at 1 connection, direct vs workerd, printed),
// BENCH_RATE_LIMITS=0 (no Upstash: the rate limit is configured but not enforced), BENCH_ONLY=load
// (non-streaming load at 1 and 32 connections and CPU per request: direct, bare workerd proxy and the
// workerd target, printed), BENCH_FEATURES=usage,payload,ratelimit (the AI Gateway features the bench
// endpoint turns on; default all three; for A/B runs of what each costs), BENCH_VERBOSE=1.
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { applyMigrations, freePort, repoRoot, runWrangler, startLocalStack, stopAllStacks } from "../infra/local-stack.mjs";
import { REDIS_INSTALL_HINT, redisServerAvailable } from "../infra/upstash-bridge/index.mjs";

const benchDir = import.meta.dirname;
const require = createRequire(path.join(repoRoot, "package.json"));
const env = process.env;
const DURATION = Number(env.BENCH_DURATION ?? 6);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const TTFT_TOTAL = Number(env.BENCH_TTFT ?? 150);
const CPU_REQUESTS = Number(env.BENCH_CPU_REQUESTS ?? 3000);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
// BENCH_AB_BUNDLE=<dir>/index.js: a gateway bundle built earlier (`wrangler deploy --dry-run --outdir <dir>`), measured as one more target.
const AB_BUNDLE = env.BENCH_AB_BUNDLE ?? null;
const PROFILE_ONLY = env.BENCH_ONLY === "profile";
// BENCH_ONLY=ttft: latency and streaming TTFT at 1 connection, direct vs the workerd target only, printed (for A/B runs).
const TTFT_ONLY = env.BENCH_ONLY === "ttft";
// BENCH_ONLY=load: throughput and CPU, direct vs bare proxy vs the workerd target, printed (for A/B runs).
const LOAD_ONLY = env.BENCH_ONLY === "load";
const QUICK = PROFILE_ONLY || TTFT_ONLY || LOAD_ONLY;
const CONNECTIONS = PROFILE_ONLY ? [] : TTFT_ONLY ? [1] : [1, 32];
const FEATURES = new Set((env.BENCH_FEATURES ?? "usage,payload,ratelimit").split(",").map((f) => f.trim()).filter(Boolean));
const verbose = !!env.BENCH_VERBOSE;
const PROFILE = env.BENCH_PROFILE !== "0" && !TTFT_ONLY && !LOAD_ONLY;
const PROFILE_SECONDS = 8;
const startedAt = Date.now();

const log = (...a) => console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1)}s]`, ...a);
const r3 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100);

// ---------------------------------------------------------------- child processes
const children = new Set();
process.on("exit", () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {}
  }
});
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    await stopAllStacks().catch(() => {});
    process.exit(130);
  });

/** Spawns `node <args>` in its own process group; resolves when a stdout line matches `ready`. */
function spawnNode(name, args, { ready, timeoutMs = 60_000, cwd = repoRoot, extraEnv = {} } = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, env: { ...env, ...extraEnv }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  child.stderr.on("data", (d) => {
    output += d;
    if (verbose) process.stderr.write(`[${name}] ${d}`);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5000);
    await gone;
    clearTimeout(t);
  };
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within ${timeoutMs} ms\n${output.slice(-3000)}`)), timeoutMs);
    const rl = readline.createInterface({ input: child.stdout });
    rl.on("line", (line) => {
      output += line + "\n";
      if (verbose) console.error(`[${name}] ${line}`);
      const m = ready ? ready.exec(line.replace(/\x1b\[[0-9;]*m/g, "")) : null;
      if (m) {
        clearTimeout(timer);
        resolve({ match: m, readyMs: Number(process.hrtime.bigint() - t0) / 1e6 });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready\n${output.slice(-3000)}`));
    });
  });
  return { child, t0, started, stop };
}

/** The workerd pids a READY line (`READY <url> workerd=<pid,...>`) announced. */
function workerdPidsOf(started) {
  return started.match[2].split(",").filter(Boolean).map(Number);
}

/** The run with the median req/s, with every round's req/s beside it. */
function medianRound(runs) {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return { ...sorted[(sorted.length - 1) >> 1], roundsRps: runs.map((r) => r.rps) };
}

/** Runs a bench helper (load.mjs / ttft.mjs) in its own process and parses its JSON line. */
function runHelper(script, options) {
  const out = execFileSync(process.execPath, [path.join(benchDir, script), JSON.stringify(options)], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 16 << 20,
    stdio: ["ignore", "pipe", verbose ? "inherit" : "pipe"],
  });
  return JSON.parse(out.trim().split("\n").at(-1));
}

// ---------------------------------------------------------------- /proc CPU accounting
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), comm: s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")) };
  } catch {
    return null;
  }
}
function allPids() {
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
}
/** The process and all its descendants, with their command names. */
function processTree(rootPid) {
  const stats = new Map(allPids().map((p) => [p, procStat(p)]).filter(([, s]) => s));
  const tree = [];
  const walk = (pid) => {
    if (!stats.has(pid)) return;
    tree.push({ pid, comm: stats.get(pid).comm });
    for (const [p, s] of stats) if (s.ppid === pid) walk(p);
  };
  walk(rootPid);
  return tree;
}
function cpuSeconds(pids) {
  return pids.reduce((sum, p) => sum + (procStat(p)?.cpuTicks ?? 0), 0) / CLK_TCK;
}
/**
 * Waits until the targets' processes are idle (under 5% of a core over 250 ms, at most 20 s): each
 * gateway drains its queues (usage into D1, payload logs into R2) after a load run, and that work must
 * neither steal CPU from the next target's run nor be missed by its own CPU figure.
 */
async function settle(pids) {
  const deadline = Date.now() + 20_000;
  let last = cpuSeconds(pids);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuSeconds(pids);
    if (now - last < 0.0125) return;
    last = now;
  }
}
/** The wrangler dev process of a stack started by startLocalStack, found by its --persist-to argument. */
function findWranglerDevPid(stateDir) {
  for (const pid of allPids()) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (cmd.includes("dev") && cmd.includes(stateDir) && cmd.some((a) => a.endsWith("wrangler.js"))) return pid;
    } catch {}
  }
  return null;
}

/** Runs load at 32 connections and attaches bench/profile.mjs to workerd's inspector meanwhile. */
async function profileUnderLoad(target, inspectorPort) {
  const collect = (child) =>
    new Promise((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => verbose && process.stderr.write(d));
      child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${child.spawnargs[1]} exited ${code}: ${out.slice(-500)}`))));
    });
  const loadOptions = { url: target.url, method: "POST", headers: target.headers, body: target.body, connections: 32, duration: PROFILE_SECONDS + 3, warmup: 1 };
  const load = collect(spawn(process.execPath, [path.join(benchDir, "load.mjs"), JSON.stringify(loadOptions)], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] }));
  await new Promise((r) => setTimeout(r, 2000));
  const profiled = await collect(spawn(process.execPath, [path.join(benchDir, "profile.mjs"), String(inspectorPort), String(PROFILE_SECONDS), "--json"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] }));
  await load;
  return JSON.parse(profiled.trim().split("\n").at(-1));
}

// ---------------------------------------------------------------- HTTP helpers (setup only)
async function api(base, token, method, p, body, retried = false) {
  let res;
  try {
    res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    // A pooled keep-alive connection the server closed while a load run was on: a GET is safe to repeat.
    if (method === "GET" && !retried) return api(base, token, method, p, body, true);
    throw e;
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}

const ENDPOINT = "bench-chat";
/** The targets that are Edgeserve: the production layout, everything in one process, wrangler dev. */
const EDGESERVE_TARGETS = ["edgeserve", "oneProcess", "baseline", "dev"];
const UPSTREAM_TOKEN = `sk-bench-${crypto.randomBytes(8).toString("hex")}`;
const MESSAGES = [{ role: "user", content: "Hello from the benchmark, please echo this." }];

/** A calls budget no bench run can spend (32 connections × a few thousand req/s is far below it). */
const RATE_LIMIT_CALLS_PER_MINUTE = 1_000_000_000;
/**
 * The endpoint's AI Gateway settings: the issue's full production path. Usage tracking (usage record +
 * query-outcome event on the usage queue), payload logging (inference table: the body copied as it streams,
 * one record on the payload-log queue) and a per-caller rate limit that never triggers (a Redis round trip
 * per query through the Upstash bridge when redis-server is available).
 */
const AI_GATEWAY = {
  ...(FEATURES.has("usage") && { usage_tracking_config: { enabled: true } }),
  ...(FEATURES.has("payload") && { inference_table_config: { enabled: true, catalog_name: "bench", schema_name: "logs", table_name_prefix: "bench_chat" } }),
  ...(FEATURES.has("ratelimit") && { rate_limits: [{ calls: RATE_LIMIT_CALLS_PER_MINUTE, key: "user", renewal_period: "minute" }] }),
};

/** Creates the READY endpoint (provider custom → mock) and a non-admin service principal with CAN_QUERY. */
async function provision(base, adminToken, mockUrl) {
  await api(base, adminToken, "POST", "/api/2.0/serving-endpoints", {
    name: ENDPOINT,
    ai_gateway: AI_GATEWAY,
    config: {
      served_entities: [
        {
          name: "mock",
          external_model: {
            name: "bench-model",
            provider: "custom",
            task: "llm/v1/chat",
            custom_provider_config: { custom_provider_url: `${mockUrl}/v1`, bearer_token_auth: { token_plaintext: UPSTREAM_TOKEN } },
          },
        },
      ],
    },
  });
  const deadline = Date.now() + 60_000;
  let ep;
  for (;;) {
    ep = await api(base, adminToken, "GET", `/api/2.0/serving-endpoints/${ENDPOINT}`);
    if (ep.state?.ready === "READY" && ep.state?.config_update === "NOT_UPDATING") break;
    if (ep.state?.config_update === "UPDATE_FAILED") throw new Error(`endpoint update failed: ${JSON.stringify(ep.state)}`);
    if (Date.now() > deadline) throw new Error(`endpoint not READY after 60 s: ${JSON.stringify(ep.state)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const sp = await api(base, adminToken, "POST", "/api/2.0/preview/scim/v2/ServicePrincipals", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
    displayName: `bench-sp-${crypto.randomBytes(3).toString("hex")}`,
    active: true,
  });
  const issued = await api(base, adminToken, "POST", "/api/2.0/token-management/on-behalf-of/tokens", { application_id: sp.applicationId, comment: "bench", lifetime_seconds: 3600 });
  await api(base, adminToken, "PATCH", `/api/2.0/permissions/serving-endpoints/${ep.id}`, {
    access_control_list: [{ service_principal_name: sp.applicationId, permission_level: "CAN_QUERY" }],
  });
  // The principal must not be an admin: the bench measures the permission check, not the admin bypass.
  const me = await api(base, issued.token_value, "GET", "/api/2.0/preview/scim/v2/Me");
  const isAdmin = (me.groups ?? []).some((g) => g.display === "admins" || g.value === "admins");
  if (isAdmin) throw new Error("the bench service principal is unexpectedly an admin");
  return { token: issued.token_value, applicationId: sp.applicationId, endpointId: ep.id };
}

/**
 * The bench endpoint's usage request count (usage API, as the admin). With `expect`, polls until the
 * count reaches it or stops growing for 5 s (the usage queue drains in the background).
 */
async function usageRequestCount(base, expect) {
  const read = async () => {
    const u = await api(base, adminToken, "GET", `/api/2.0/serving-endpoints/${ENDPOINT}/usage?group_by=day&start_time=${startedAt - 86_400_000}`);
    return u.usage.reduce((sum, row) => sum + row.request_count, 0);
  };
  let count = await read();
  if (expect === undefined) return count;
  let lastChange = Date.now();
  while (count < expect && Date.now() - lastChange < 5000) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await read();
    if (next !== count) lastChange = Date.now();
    count = next;
  }
  return count;
}

/** Sends one query; returns the status and the elapsed ms. */
async function oneQuery(target) {
  const t = process.hrtime.bigint();
  try {
    const res = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    return { status: res.status, ms: Number(process.hrtime.bigint() - t) / 1e6, text };
  } catch (e) {
    return { status: 0, ms: Number(process.hrtime.bigint() - t) / 1e6, text: String(e) };
  }
}
/** Polls until the target answers 200; returns ms since `t0` (a process start). */
async function untilAnswered(target, t0, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await oneQuery(target);
    if (r.status === 200) return Number(process.hrtime.bigint() - t0) / 1e6;
    if (Date.now() > deadline) throw new Error(`no 200 from ${target.url} within ${timeoutMs} ms: ${r.status} ${r.text.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

function versionOf(pkg, from = repoRoot) {
  try {
    return createRequire(path.join(from, "package.json"))(`${pkg}/package.json`).version;
  } catch {
    try {
      let dir = path.dirname(createRequire(path.join(from, "package.json")).resolve(pkg));
      while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
      return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  }
}

// ================================================================ main
const results = {
  generatedAt: new Date().toISOString(),
  settings: { durationS: DURATION, warmupS: WARMUP, rounds: ROUNDS, connections: CONNECTIONS, ttftRequests: TTFT_TOTAL, cpuRequests: CPU_REQUESTS },
  machine: {},
  bundle: {},
  coldStart: {},
  load: {},
  ttft: {},
  cpu: {},
  delivery: {},
  ratios: {},
  goals: [],
  notes: [],
};

const runDir = path.join(benchDir, ".state", `run-${Date.now()}`);
fs.mkdirSync(runDir, { recursive: true });
const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
const masterKey = crypto.randomBytes(32).toString("base64");
const stops = [];

try {
  // ------------------------------------------------------------ machine
  const miniflareRequire = createRequire(require.resolve("miniflare"));
  let workerdVersion = null;
  try {
    const bin = miniflareRequire("workerd").default ?? miniflareRequire("workerd");
    workerdVersion = execFileSync(typeof bin === "string" ? bin : bin.default, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    workerdVersion = versionOf("workerd", path.dirname(require.resolve("miniflare")));
  }
  results.machine = {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: r3(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: versionOf("wrangler"),
    miniflare: versionOf("miniflare"),
    workerd: workerdVersion,
    autocannon: versionOf("autocannon"),
    undici: versionOf("undici"),
    portkeyGateway: null,
  };
  log("machine", JSON.stringify(results.machine));

  // ------------------------------------------------------------ Portkey peer (outside the pnpm workspace, see peers/package.json)
  const peersDir = path.join(benchDir, "peers");
  const portkeyMain = path.join(peersDir, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js");
  if (!fs.existsSync(portkeyMain)) {
    log("installing the Portkey peer into bench/peers (npm ci --ignore-scripts)…");
    try {
      execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: peersDir, stdio: verbose ? "inherit" : "pipe", timeout: 180_000 });
    } catch (e) {
      results.notes.push(`Portkey peer could not be installed (${String(e.message).split("\n")[0]}); Portkey scenarios skipped.`);
    }
  }
  const havePortkey = fs.existsSync(portkeyMain);
  if (havePortkey) results.machine.portkeyGateway = JSON.parse(fs.readFileSync(path.join(peersDir, "node_modules", "@portkey-ai", "gateway", "package.json"), "utf8")).version;

  // ------------------------------------------------------------ bundle (what production uploads)
  const outDir = path.join(runDir, "bundle");
  const tBuild = Date.now();
  const buildOut = await runWrangler(["deploy", "--dry-run", "--outdir", outDir], { stateDir: path.join(runDir, "wrangler-build") });
  const bundlePath = path.join(outDir, "index.js");
  const raw = fs.readFileSync(bundlePath);
  const m = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(buildOut);
  results.bundle = {
    rawBytes: raw.length,
    gzipBytes: zlib.gzipSync(raw, { level: 9 }).length,
    wranglerReportedKiB: m ? { total: Number(m[1]), gzip: Number(m[2]) } : null,
    buildMs: Date.now() - tBuild,
  };
  log("bundle", JSON.stringify(results.bundle));

  // ------------------------------------------------------------ mock upstream
  const mock = spawnNode("mock", [path.join(benchDir, "mock-upstream.mjs"), `--token=${UPSTREAM_TOKEN}`, "--stream-gap-ms=5"], { ready: /^READY (\S+)/ });
  const mockUrl = (await mock.started).match[1];
  stops.push(mock.stop);
  log("mock upstream at", mockUrl);

  // ------------------------------------------------------------ rate limits: a real redis-server behind the local Upstash bridge
  let upstash = null;
  let upstashVars = {};
  if (env.BENCH_RATE_LIMITS === "0" || !FEATURES.has("ratelimit")) {
    results.notes.push("BENCH_RATE_LIMITS=0: run without Upstash, so the configured rate limit was not enforced (no Redis round trip per query).");
  } else if (redisServerAvailable()) {
    const server = spawnNode("upstash", [path.join(benchDir, "upstash-server.mjs")], { ready: /^READY (\S+) (\S+) (\d+)/ });
    const [, url, token, redisPort] = (await server.started).match;
    stops.push(server.stop);
    upstash = { url, token, redisPort: Number(redisPort), pids: () => processTree(server.child.pid).map((p) => p.pid) };
    upstashVars = { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token };
    log("Upstash bridge at", upstash.url, "over redis-server on port", upstash.redisPort);
  } else {
    results.notes.push(`redis-server is not installed, so the gateways ran without rate limits (the configured limit is not enforced without Upstash). ${REDIS_INSTALL_HINT}`);
  }

  const chatBody = (stream) => JSON.stringify({ model: "bench-model", messages: MESSAGES, max_tokens: 32, ...(stream ? { stream: true } : {}) });
  const edgeBody = (stream) => JSON.stringify({ messages: MESSAGES, max_tokens: 32, ...(stream ? { stream: true } : {}) });
  const targets = {};
  const settleAll = () => settle(Object.values(targets).flatMap((t) => (t.treePids ?? t.pids)()));
  targets.direct = {
    label: "direct to mock",
    url: `${mockUrl}/v1/chat/completions`,
    headers: { "content-type": "application/json", authorization: `Bearer ${UPSTREAM_TOKEN}` },
    body: chatBody(false),
    streamBody: chatBody(true),
    pids: () => [mock.child.pid],
  };

  // ------------------------------------------------------------ the floor: a bare forwarding worker on the same workerd
  if (!TTFT_ONLY && !PROFILE_ONLY) {
    const barePort = await freePort();
    const bare = spawnNode("bare-proxy", [path.join(benchDir, "bare-proxy.mjs"), `--port=${barePort}`, `--upstream=${mockUrl}`], { ready: /^READY (\S+) workerd=(\S*)/ });
    const bareStart = await bare.started;
    stops.push(() => bare.stop());
    const barePids = workerdPidsOf(bareStart);
    targets.bare = {
      label: "bare workerd proxy",
      url: `${bareStart.match[1]}/proxy/v1/chat/completions`,
      headers: targets.direct.headers,
      body: chatBody(false),
      streamBody: chatBody(true),
      pids: () => barePids,
    };
  }

  // ------------------------------------------------------------ Edgeserve on workerd, production bundle (Miniflare API, no dev layers)
  const prodState = path.join(runDir, "prod-state");
  fs.mkdirSync(prodState, { recursive: true });
  const tMig = Date.now();
  await applyMigrations({ stateDir: prodState });
  const migrationsMs = Date.now() - tMig;
  const secretsFile = path.join(runDir, "secrets.json");
  fs.writeFileSync(secretsFile, JSON.stringify({ EDGESERVE_ADMIN_TOKEN: adminToken, EDGESERVE_MASTER_KEY: masterKey }), { mode: 0o600 });
  const prodPort = await freePort();
  // The measured instance has no inspector: a workerd started with one ran the same load at 2–2.5× the
  // CPU per request. The profile is taken last, on an instance of its own (same state) that has one.
  const inspectorPort = PROFILE ? await freePort() : null;
  /** A gateway process on `state`; `layout` adds --relay-queues (production layout) or --role=pipeline. */
  const startWorkerd = (name, port, state, layout = [], inspector = null, bundle = bundlePath) =>
    spawnNode(name, [path.join(benchDir, "workerd-server.mjs"), `--bundle=${bundle}`, `--port=${port}`, `--state=${state}`, `--secrets=${secretsFile}`, `--vars=${JSON.stringify(upstashVars)}`, ...layout, ...(inspector ? [`--inspector=${inspector}`] : [])], {
      ready: /^READY (\S+) workerd=(\S*)/,
    });
  // Provisioned once, on one process; the other layouts start on copies of that state.
  let prod = startWorkerd("workerd", prodPort, prodState);
  let prodUrl = (await prod.started).match[1];
  log("Edgeserve (workerd, production bundle) at", prodUrl);
  const prodIds = await provision(prodUrl, adminToken, mockUrl);
  const edgeTarget = (base, token, label, pids) => ({
    label,
    base,
    url: `${base}/serving-endpoints/${ENDPOINT}/invocations`,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: edgeBody(false),
    streamBody: edgeBody(true),
    pids,
  });
  {
    const probe = await oneQuery(edgeTarget(prodUrl, prodIds.token, ""));
    if (probe.status !== 200) throw new Error(`Edgeserve query failed: ${probe.status} ${probe.text.slice(0, 500)}`);
  }
  await prod.stop();
  const pipelineState = path.join(runDir, "pipeline-state");
  const oneProcessState = path.join(runDir, "one-process-state");
  fs.cpSync(prodState, pipelineState, { recursive: true });
  fs.cpSync(prodState, oneProcessState, { recursive: true });
  if (AB_BUNDLE) fs.cpSync(prodState, path.join(runDir, "baseline-state"), { recursive: true });

  // The production layout (bench/queue-relay.mjs): the logging pipeline in a process of its own.
  const pipeline = startWorkerd("pipeline", await freePort(), pipelineState, ["--role=pipeline"]);
  const pipelineStart = await pipeline.started;
  stops.push(() => pipeline.stop());
  const pipelineUrl = pipelineStart.match[1];
  const pipelinePids = workerdPidsOf(pipelineStart);
  const productionLayout = [`--relay-queues=${pipelineUrl}`];
  /** A production-layout target: its process tree includes the pipeline, whose D1 answers the usage API. */
  const withPipeline = (target, gatewayPid) =>
    Object.assign(target, {
      treePids: () => [...processTree(gatewayPid()), ...processTree(pipeline.child.pid)].map((p) => p.pid),
      pipelinePids: () => pipelinePids,
      usageBase: pipelineUrl,
    });
  log("logging pipeline (queues, consumers, their D1 and R2) at", pipelineUrl);

  // Cold start: the gateway process on the provisioned state; time to /health and to the first answered query.
  prod = startWorkerd("workerd", prodPort, prodState, productionLayout);
  const prodTarget0 = edgeTarget(`http://127.0.0.1:${prodPort}`, prodIds.token, "");
  const [prodStart, prodFirstQueryMs] = await Promise.all([prod.started, untilAnswered(prodTarget0, prod.t0)]);
  prodUrl = prodStart.match[1];
  const workerdPids = workerdPidsOf(prodStart);
  stops.push(() => prod.stop());
  results.coldStart.edgeserveWorkerd = {
    processStartToHealthMs: r3(prodStart.readyMs),
    processStartToFirstQueryMs: r3(prodFirstQueryMs),
    note: "node + Miniflare + workerd process start on an existing local state, first query cold (token, endpoint and ACL read from D1, credential decrypted)",
    migrationsApplyMs: migrationsMs,
  };
  targets.edgeserve = withPipeline(edgeTarget(prodUrl, prodIds.token, "Edgeserve (workerd, prod bundle)", () => workerdPids), () => prod.child.pid);
  log("cold start (workerd)", JSON.stringify(results.coldStart.edgeserveWorkerd));

  // Everything in one workerd process: the broker, consumers, D1 and R2 on the query path's thread.
  if (!TTFT_ONLY && !PROFILE_ONLY) {
    const one = startWorkerd("one-process", await freePort(), oneProcessState);
    const oneStart = await one.started;
    stops.push(() => one.stop());
    const onePids = workerdPidsOf(oneStart);
    targets.oneProcess = edgeTarget(oneStart.match[1], prodIds.token, "Edgeserve (workerd, one process)", () => onePids);
    targets.oneProcess.treePids = () => processTree(one.child.pid).map((p) => p.pid);
    targets.oneProcess.usageBase = oneStart.match[1];
  }

  // An earlier build of the gateway (BENCH_AB_BUNDLE), in the production layout beside this tree's: an A/B
  // of a change in one run, sharing the logging pipeline (CPU runs are sequential, so its figures stay apart).
  if (AB_BUNDLE) {
    const baseline = startWorkerd("baseline", await freePort(), path.join(runDir, "baseline-state"), productionLayout, null, path.resolve(AB_BUNDLE));
    const baselineStart = await baseline.started;
    stops.push(() => baseline.stop());
    const baselinePids = workerdPidsOf(baselineStart);
    targets.baseline = withPipeline(edgeTarget(baselineStart.match[1], prodIds.token, `Edgeserve baseline (${AB_BUNDLE})`, () => baselinePids), () => baseline.child.pid);
  }

  // ------------------------------------------------------------ Edgeserve under wrangler dev (startLocalStack)
  if (!env.BENCH_SKIP_DEV && (!QUICK || (LOAD_ONLY && env.BENCH_DEV === "1"))) {
    const devState = path.join(runDir, "dev-state");
    const devPort = await freePort();
    const t0 = process.hrtime.bigint();
    let dev = await startLocalStack({ port: devPort, stateDir: devState, adminToken, masterKey, vars: upstashVars, quiet: true });
    const firstStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const devIds = await provision(dev.url, adminToken, mockUrl);
    await dev.stop();
    // Restart on the provisioned state: startLocalStack applies migrations (a no-op now) then runs wrangler dev.
    const t1 = process.hrtime.bigint();
    dev = await startLocalStack({ port: devPort, stateDir: devState, adminToken, masterKey, vars: upstashVars, quiet: true });
    const healthMs = Number(process.hrtime.bigint() - t1) / 1e6;
    const devTarget = edgeTarget(dev.url, devIds.token, "Edgeserve (wrangler dev)");
    const firstQueryMs = await untilAnswered(devTarget, t1);
    stops.push(() => dev.stop());
    const tNoop = Date.now();
    await applyMigrations({ stateDir: devState });
    const noopMigrationsMs = Date.now() - tNoop;
    const wranglerPid = findWranglerDevPid(path.resolve(devState));
    const tree = wranglerPid ? processTree(wranglerPid) : [];
    devTarget.pids = () => tree.filter((p) => p.comm.startsWith("workerd")).map((p) => p.pid);
    devTarget.treePids = () => tree.map((p) => p.pid);
    targets.dev = devTarget;
    results.coldStart.edgeserveWranglerDev = {
      startLocalStackMs: r3(healthMs),
      processStartToFirstQueryMs: r3(firstQueryMs),
      noopMigrationsApplyMs: noopMigrationsMs,
      estimatedWranglerDevStartToFirstQueryMs: r3(firstQueryMs - noopMigrationsMs),
      firstStartIncludingMigrationsMs: r3(firstStartMs),
      processes: tree.map((p) => p.comm),
    };
    log("cold start (wrangler dev)", JSON.stringify(results.coldStart.edgeserveWranglerDev));
  } else results.notes.push("wrangler dev target skipped (BENCH_SKIP_DEV).");

  // ------------------------------------------------------------ Portkey
  if (havePortkey && !QUICK) {
    const pkPort = await freePort();
    const pk = spawnNode("portkey", [portkeyMain, "--headless", `--port=${pkPort}`], { ready: /Ready for connections|running at/i, cwd: peersDir });
    stops.push(pk.stop);
    const pkStarted = pk.started;
    targets.portkey = {
      label: "Portkey gateway",
      url: `http://127.0.0.1:${pkPort}/v1/chat/completions`,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${UPSTREAM_TOKEN}`,
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": `${mockUrl}/v1`,
      },
      body: chatBody(false),
      streamBody: chatBody(true),
      pids: () => processTree(pk.child.pid).map((p) => p.pid),
    };
    const [pkStart, firstMs] = await Promise.all([pkStarted, untilAnswered(targets.portkey, pk.t0)]);
    results.coldStart.portkey = { processStartToReadyLineMs: r3(pkStart.readyMs), processStartToFirstQueryMs: r3(firstMs) };
    log("Portkey at", targets.portkey.url, JSON.stringify(results.coldStart.portkey));
  }

  // sanity: every target answers the same chat request with 200
  for (const [k, t] of Object.entries(targets)) {
    const r = await oneQuery(t);
    if (r.status !== 200) throw new Error(`${k}: ${r.status} ${r.text.slice(0, 400)}`);
  }

  // ------------------------------------------------------------ load: every target at 1 and 32 connections, interleaved
  // ROUNDS rounds, each running every target once, so a drift in the host's speed (up to 40% within a
  // day here) touches all targets alike; each target's figures are those of its median round by req/s.
  const order = Object.keys(targets);
  for (const c of CONNECTIONS) {
    const runs = Object.fromEntries(order.map((k) => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const k of order) {
        const t = targets[k];
        await settleAll();
        log(`load c=${c} ${t.label} round ${round}/${ROUNDS} (${WARMUP}s warm-up + ${DURATION}s)`);
        const r = runHelper("load.mjs", { url: t.url, method: "POST", headers: t.headers, body: t.body, connections: c, duration: DURATION, warmup: WARMUP });
        runs[k].push(r);
        log(`  → ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}`);
      }
    }
    results.load[c] = Object.fromEntries(order.map((k) => [k, medianRound(runs[k])]));
  }

  // ------------------------------------------------------------ streaming TTFT
  for (const c of LOAD_ONLY ? [] : CONNECTIONS) {
    results.ttft[c] = {};
    const total = c === 1 ? TTFT_TOTAL : Math.max(TTFT_TOTAL, c * 10);
    for (const k of order) {
      const t = targets[k];
      await settleAll();
      log(`ttft c=${c} ${t.label} (${total} streamed requests)`);
      const r = runHelper("ttft.mjs", { url: t.url, headers: t.headers, body: t.streamBody, connections: c, total, warmup: Math.min(50, total), timingsUrl: `${mockUrl}/timings` });
      results.ttft[c][k] = r;
      if (k === "portkey" && r.failures && /Something went wrong/.test(r.firstError ?? ""))
        r.knownIssue = "Portkey 1.15.2 on Node 20 answers streamed requests with 500: its log shows `TypeError: immutable` from Headers.append on the upstream fetch Response (a Portkey bug in its Node build); no Portkey TTFT figure.";
      log(`  → TTFT p50 ${r.ttftMs.p50} ms, p99 ${r.ttftMs.p99} ms, failures ${r.failures}${r.firstError ? ` (${r.firstError})` : ""}`);
      if (r.legsMs?.toUpstream) log(`  → legs p50: to the upstream ${r.legsMs.toUpstream.p50} ms, upstream ${r.legsMs.upstream.p50} ms, back to the client ${r.legsMs.back.p50} ms`);
    }
  }

  // ------------------------------------------------------------ CPU time per request (/proc utime+stime, fixed request count)
  for (const k of PROFILE_ONLY ? ["edgeserve"] : TTFT_ONLY ? [] : order) {
    const t = targets[k];
    const pids = t.pids();
    const tree = t.treePids ? t.treePids() : pids;
    const mockPids = [mock.child.pid];
    const redisPids = upstash?.pids() ?? [];
    await settleAll();
    const pipelinePids = t.pipelinePids?.() ?? [];
    const before = { gw: cpuSeconds(pids), tree: cpuSeconds(tree), mock: cpuSeconds(mockPids), redis: cpuSeconds(redisPids), pipeline: cpuSeconds(pipelinePids) };
    const usageBefore = t.usageBase && FEATURES.has("usage") ? await usageRequestCount(t.usageBase) : null;
    const r = runHelper("load.mjs", { url: t.url, method: "POST", headers: t.headers, body: t.body, connections: 8, amount: CPU_REQUESTS });
    // The queue consumers' work for these requests (usage into D1, payload logs into R2) counts too.
    await settle(tree);
    const after = { gw: cpuSeconds(pids), tree: cpuSeconds(tree), mock: cpuSeconds(mockPids), redis: cpuSeconds(redisPids), pipeline: cpuSeconds(pipelinePids) };
    const n = r.requests + r.non2xx;
    if (usageBefore !== null) {
      // Nothing the gateway accepted may be lost to batching: every answered query has its usage record in D1.
      results.delivery[k] = { queriesAnswered: r.requests, usageRecordsLanded: (await usageRequestCount(t.usageBase, usageBefore + r.requests)) - usageBefore };
      log(`delivery (${t.label}): ${results.delivery[k].usageRecordsLanded} usage records landed for ${r.requests} answered queries`);
    }
    results.cpu[k] = {
      requests: n,
      processes: pids.map((p) => procStat(p)?.comm ?? String(p)),
      cpuMsPerRequest: k === "direct" ? r3(((after.mock - before.mock) * 1000) / n) : r3(((after.gw - before.gw) * 1000) / n),
      treeCpuMsPerRequest: k === "direct" ? null : r3(((after.tree - before.tree) * 1000) / n),
      // The logging pipeline's process (production layout): queue broker, consumers, their D1 and R2.
      pipelineCpuMsPerRequest: pipelinePids.length ? r3(((after.pipeline - before.pipeline) * 1000) / n) : null,
      mockCpuMsPerRequest: r3(((after.mock - before.mock) * 1000) / n),
      // The rate limiter's Upstash bridge (Node) + redis-server: on this machine they share the 2 cores.
      upstashCpuMsPerRequest: upstash && EDGESERVE_TARGETS.includes(k) ? r3(((after.redis - before.redis) * 1000) / n) : null,
      resolutionMs: r3((1000 / CLK_TCK / n) * 1),
    };
    log(`cpu ${t.label}: ${results.cpu[k].cpuMsPerRequest} ms/request (${results.cpu[k].processes.join(",")})`);
  }

  // ------------------------------------------------------------ CPU profile of the hot path (V8 sampling profiler, 32 connections)
  if (inspectorPort) {
    await prod.stop();
    prod = startWorkerd("workerd", prodPort, prodState, productionLayout, inspectorPort);
    await prod.started;
    log(`profiling the gateway for ${PROFILE_SECONDS}s under load (an instance with an inspector, after the measurements)`);
    results.profile = await profileUnderLoad(targets.edgeserve, inspectorPort);
    log(`  → top: ${results.profile.top.slice(0, 5).map((t) => `${t.pct}% ${t.where}`).join(" | ")}`);
  }

  // ------------------------------------------------------------ ratios and goals
  const L = results.load;
  for (const c of QUICK ? [] : CONNECTIONS) {
    const d = L[c].direct;
    const row = {};
    for (const k of order.filter((k) => k !== "direct")) {
      const g = L[c][k];
      row[k] = {
        addedP50Ms: r3(g.latencyMs.p50 - d.latencyMs.p50),
        addedP99Ms: r3(g.latencyMs.p99 - d.latencyMs.p99),
        addedMeanMs: r3(g.latencyMs.mean - d.latencyMs.mean),
        throughputVsDirect: ratio(g.rps, d.rps),
      };
    }
    for (const k of EDGESERVE_TARGETS) if (row[k] && L[c].bare) row[k].throughputVsBare = ratio(L[c][k].rps, L[c].bare.rps);
    for (const k of EDGESERVE_TARGETS) {
      if (!row[k] || !row.portkey) continue;
      row[k].throughputVsPortkey = ratio(L[c][k].rps, L[c].portkey.rps);
      row[k].addedP50VsPortkey = ratio(row[k].addedP50Ms, row.portkey.addedP50Ms);
      row[k].addedMeanVsPortkey = ratio(row[k].addedMeanMs, row.portkey.addedMeanMs);
    }
    const T = results.ttft[c];
    for (const k of order.filter((k) => k !== "direct")) {
      const diff = (a, b) => (a == null || b == null ? null : r3(a - b));
      row[k].ttftAddedP50Ms = diff(T[k].ttftMs.p50, T.direct.ttftMs.p50);
      row[k].ttftAddedP99Ms = diff(T[k].ttftMs.p99, T.direct.ttftMs.p99);
      if (T[k].failures > 0 && !T[k].requests) results.notes.push(`Streaming through ${targets[k].label} at ${c} connection(s) failed on every request: ${T[k].knownIssue ?? T[k].firstError}`);
    }
    results.ratios[c] = row;
  }
  const R32 = results.ratios[32]?.edgeserve;
  const R1 = results.ratios[1]?.edgeserve;
  const goal = (name, target, value, met, note) => results.goals.push({ name, target, value, met, note });
  goal("Added latency p50 at 32 connections (workerd, prod bundle)", "≤ 1 ms", R32?.addedP50Ms, R32 ? R32.addedP50Ms <= 1 : null,
    "difference of p50s (gateway − direct), same run; load generator, mock and gateway share the 2 cores");
  goal("Added latency p99 at 32 connections (workerd, prod bundle)", "≤ 5 ms", R32?.addedP99Ms, R32 ? R32.addedP99Ms <= 5 : null, "difference of p99s");
  goal("Throughput ≥ 3× Portkey at 32 connections", "≥ 3", R32?.throughputVsPortkey ?? null, R32?.throughputVsPortkey != null ? R32.throughputVsPortkey >= 3 : null, "req/s ÷ req/s, same mock, same run");
  goal("Throughput ≥ 3× Portkey at 1 connection", "≥ 3", R1?.throughputVsPortkey ?? null, R1?.throughputVsPortkey != null ? R1.throughputVsPortkey >= 3 : null, "");
  goal("Streaming TTFT overhead p50 at 1 connection", "≤ 1 ms", R1?.ttftAddedP50Ms, R1 ? R1.ttftAddedP50Ms <= 1 : null, "");
  goal("Gateway bundle gzip", "≤ 1 MiB", results.bundle.gzipBytes, results.bundle.gzipBytes <= 1024 * 1024, `wrangler reports ${results.bundle.wranglerReportedKiB?.gzip} KiB gzip`);

  // Which parts of the issue's "full production path" were on in this run.
  results.productionPath = {
    tokenAuth: "on (non-admin service principal, on-behalf-of token)",
    permissionCheck: "on (CAN_QUERY grant on the endpoint)",
    endpointLookup: "on (isolate cache, EDGESERVE_CACHE_TTL_MS from wrangler.toml)",
    usageRecord: "on (ai_gateway.usage_tracking_config: usage record and query outcome on the edgeserve-usage queue, packed with the isolate's other events; consumed into D1 by the same bundle, in the logging pipeline's process in the production layout and in the gateway's own process in the one-process layout)",
    payloadLogging: "on (ai_gateway.inference_table_config: the response copied (a stream as it goes to the client, a whole answer from the text it was built from), one record per query on the edgeserve-payload-logs queue, consumed into R2 as gzip JSON Lines, in the same process as the usage records)",
    layout: "production layout: the gateway's workerd runs the query path and sends its queue messages through a relay (bench/queue-relay.mjs) to a second workerd at nice 19 that holds the queues, their consumers and the D1 and R2 they write, as Cloudflare's services and consumer invocations elsewhere do in production; the one-process layout keeps all of it on the gateway's thread",
    rateLimit: upstash
      ? `on (ai_gateway.rate_limits: ${RATE_LIMIT_CALLS_PER_MINUTE} calls/minute per caller, never reached; every query charged, through the isolate's lease on the budget, which @upstash/ratelimit charges in blocks → local Upstash bridge → redis-server on 127.0.0.1:${upstash.redisPort}, a separate process)`
      : "configured but off: no Upstash (redis-server not installed, or BENCH_RATE_LIMITS=0), so nothing enforced it",
    guardrails: "off (not configured: they run only when ai_gateway.guardrails is set)",
    aiGateway: AI_GATEWAY,
  };
} catch (e) {
  results.error = String(e.stack ?? e);
  console.error(e);
  process.exitCode = 1;
} finally {
  for (const s of stops.reverse()) await s().catch(() => {});
  await stopAllStacks().catch(() => {});
  results.totalSeconds = r3((Date.now() - startedAt) / 1000);
  if (!env.BENCH_KEEP_STATE) fs.rmSync(runDir, { recursive: true, force: true });
}

if (TTFT_ONLY) {
  for (const [k, r] of Object.entries(results.ttft[1] ?? {}))
    console.log(`${k}: TTFT p50 ${r.ttftMs?.p50} ms, p90 ${r.ttftMs?.p90} ms, p99 ${r.ttftMs?.p99} ms, failures ${r.failures}${r.legsMs?.toUpstream ? `; legs p50 ${r.legsMs.toUpstream.p50} + ${r.legsMs.upstream.p50} + ${r.legsMs.back.p50} ms` : ""}`);
  const l = results.load[1];
  if (l?.edgeserve && l?.direct) console.log(`non-streaming at 1 connection: ${l.edgeserve.rps} req/s, added p50 ${r3(l.edgeserve.latencyMs.p50 - l.direct.latencyMs.p50)} ms, added p99 ${r3(l.edgeserve.latencyMs.p99 - l.direct.latencyMs.p99)} ms`);
  const t = results.ttft[1];
  if (t?.edgeserve && t?.direct) console.log(`added TTFT p50: ${r3(t.edgeserve.ttftMs.p50 - t.direct.ttftMs.p50)} ms`);
  process.exit(process.exitCode ?? 0);
}
if (LOAD_ONLY) {
  console.log(`features: ${[...FEATURES].join(",") || "none"}`);
  for (const c of CONNECTIONS)
    for (const [k, r] of Object.entries(results.load[c] ?? {}))
      console.log(`c=${c} ${k}: ${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non2xx ${r.non2xx}`);
  for (const [k, r] of Object.entries(results.cpu)) console.log(`cpu ${k}: ${r.cpuMsPerRequest} ms/request (tree ${r.treeCpuMsPerRequest}, pipeline ${r.pipelineCpuMsPerRequest}, redis+bridge ${r.upstashCpuMsPerRequest})`);
  for (const [k, d] of Object.entries(results.delivery)) console.log(`delivery ${k}: ${d.usageRecordsLanded} usage records for ${d.queriesAnswered} answered queries`);
  process.exit(process.exitCode ?? 0);
}
if (PROFILE_ONLY) {
  for (const t of results.profile?.top ?? []) console.log(`self ${String(t.pct).padStart(5)}%  ${t.where}`);
  for (const t of results.profile?.topInclusive ?? []) console.log(`${String(t.pct).padStart(5)}%  ${t.where}`);
  console.log(`CPU ms/request: ${results.cpu.edgeserve?.cpuMsPerRequest} (Upstash bridge + redis: ${results.cpu.edgeserve?.upstashCpuMsPerRequest})`);
  process.exit(process.exitCode ?? 0);
}
// Findings of the profiling work (hand-written from BENCH_ONLY=profile A/B runs), shown beside this run's figures.
try {
  results.analysis = JSON.parse(fs.readFileSync(path.join(benchDir, "findings.json"), "utf8"));
} catch {}
fs.writeFileSync(path.join(benchDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
const { renderMarkdown } = await import("./report.mjs");
fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderMarkdown(results));
log(`wrote bench/results.json and bench/RESULTS.md in ${results.totalSeconds}s`);
