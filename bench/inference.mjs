#!/usr/bin/env node
// In-worker inference vs native: the same ONNX model and inputs through onnxruntime-node in this Node process
// and through the inference worker on workerd (the `wrangler deploy --dry-run` bundle loaded by Miniflare: no
// dev reload layers), 1 and N concurrent, in one run:
//   - the worker alone over HTTP (Node → Miniflare's entry worker → the worker, JSON both ways);
//   - the service-binding hop as the gateway makes it, timed inside workerd by a calling worker: the former
//     HTTP+JSON call (`INFERENCE.fetch("/v1/predict")`) and the RPC call queries use now (`INFERENCE.predict()`);
//   - a query through the production gateway (`pnpm serve`'s stack: auth, signature check, usage tracking and
//     payload logging on) → RPC → the worker, over HTTP, beside onnxruntime-node behind a Node HTTP server.
// CPU ms per query (what Workers bills) is the workerd process's CPU time (/proc) over a run, divided by its
// queries. Then `--rounds` interleaved rounds of the goal's pair at 1 connection (in-process native, then the
// RPC hop, each REQUESTS calls) give that ratio's median and spread within the run, so the claim does not rest
// on one measurement of a shared machine. Writes bench/INFERENCE.md and bench/inference.json.
//
//   pnpm bench:inference [--requests=400] [--concurrency=8] [--rows=32] [--rounds=5]
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { Log, LogLevel, Miniflare } from "miniflare";
import { workerdEnv } from "../infra/local-stack.mjs";
import { cpuSeconds, settle } from "./overhead/proc-cpu.mjs";
import { MLP_FILE, startGatewayWithMlp, workerdPids } from "./production-gateway.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const REQUESTS = Number(args.requests ?? 400);
const CONCURRENCY = Number(args.concurrency ?? 8);
const ROWS = Number(args.rows ?? 32);
const ROUNDS = Number(args.rounds ?? 5);
const repoRoot = path.resolve(import.meta.dirname, "..");
const workerDir = path.join(repoRoot, "workers/inference");
// onnxruntime-node is a dev dependency of the repository root (bench and infra scripts).
const require = createRequire(path.join(repoRoot, "package.json"));
const ortNode = require("onnxruntime-node");
const modelBytes = fs.readFileSync(MLP_FILE);

/** Deterministic inputs: request i gets ROWS rows of 64 features. Also in the calling worker (callerWorker). */
function inputRows(i) {
  return Array.from({ length: ROWS }, (_, r) => Array.from({ length: 64 }, (_, c) => Math.sin(i * 31 + r * 7 + c)));
}

const round = (x) => Math.round(x * 100) / 100;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : round((sorted[mid - 1] + sorted[mid]) / 2);
};
const loadAverage = () => os.loadavg().map((x) => round(x));

function summarize(name, concurrency, latencies, seconds, cpu) {
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    name,
    concurrency,
    requests: latencies.length,
    p50_ms: round(q(0.5)),
    p99_ms: round(q(0.99)),
    mean_ms: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    throughput_rps: round(latencies.length / seconds),
    ...(cpu !== undefined && { cpu_ms_per_query: round((cpu * 1000) / latencies.length) }),
  };
}

/**
 * Runs `call` REQUESTS times with `concurrency` in flight, after a warm-up. `cpu()` (seconds) is read before
 * and after, once the processes are idle again, so deferred work (queue consumers) is counted too.
 */
async function measure(name, call, concurrency, { pids, cpu = () => cpuSeconds(pids) } = {}) {
  for (let i = 0; i < 20; i++) await call(i); // warm up (and the cold load, reported separately)
  if (pids) await settle(pids);
  const cpuBefore = pids ? cpu() : 0;
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  if (pids) await settle(pids);
  return summarize(name, concurrency, latencies, seconds, pids ? cpu() - cpuBefore : undefined);
}

function buildWorker() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-inference-bundle-"));
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-inference-wrangler-"));
  const result = spawnSync(
    process.execPath,
    [
      require.resolve("wrangler/bin/wrangler.js"),
      "deploy",
      "--dry-run",
      "--outdir",
      outdir,
      "-c",
      path.join(workerDir, "wrangler.toml"),
    ],
    {
      cwd: repoRoot,
      encoding: "utf8",
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        XDG_CONFIG_HOME: state,
        WRANGLER_LOG_PATH: state,
      },
    },
  );
  if (result.status !== 0) throw new Error(`wrangler build failed:\n${result.stdout}\n${result.stderr}`);
  return outdir;
}

const model = {
  key: "bench.mlp/1",
  artifactPrefix: "bench/mlp/1/",
  flavor: "onnx",
  flavorConfig: { data: "model.onnx" },
};

/**
 * A worker bound to the inference worker as the gateway is (entrypoint InferenceService) that makes
 * `n` calls, `c` at a time, the former way (`mode=http`: POST /v1/predict, JSON both ways) or over RPC
 * (`mode=rpc`), and times them inside workerd: no HTTP from Node on the measured path. workerd's clock
 * advances at I/O, which each call is, so the per-call times are whole milliseconds; the total is exact.
 */
const callerWorker = `
const ROWS = ${ROWS};
const model = ${JSON.stringify(model)};
${inputRows.toString()}
async function viaHttp(env, input) {
  const res = await env.INFERENCE.fetch("https://inference/v1/predict", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, input }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(JSON.stringify(body));
  return body.predictions;
}
async function viaRpc(env, input) {
  const out = await env.INFERENCE.predict({ model, input });
  if (!out.predictions) throw new Error(JSON.stringify(out));
  return out.predictions;
}
export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams;
    const call = q.get("mode") === "rpc" ? viaRpc : viaHttp;
    const n = Number(q.get("n")), c = Number(q.get("c")), from = Number(q.get("from"));
    const latencies = [];
    let next = 0, predictions;
    const start = Date.now();
    await Promise.all(Array.from({ length: c }, async () => {
      while (next < n) {
        const i = from + next++;
        const t = Date.now();
        predictions = await call(env, { kind: "tensor", value: inputRows(i) });
        latencies.push(Date.now() - t);
      }
    }));
    return Response.json({ ms: Date.now() - start, latencies, predictions });
  },
};`;

async function startWorker(bundleDir, batching) {
  const before = new Set(workerdPids());
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: false,
    log: new Log(LogLevel.WARN),
    workers: [
      {
        name: "edgeserve-inference",
        // The bundle imports transformers.js lazily (import()), so its modules are listed, not discovered.
        modulesRoot: bundleDir,
        modules: [
          "index.js",
          ...fs.readdirSync(bundleDir).filter((f) => f !== "index.js" && /\.(m?js|wasm)$/.test(f)),
        ].map((f) => ({
          type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
          path: path.join(bundleDir, f),
        })),
        compatibilityDate: "2026-04-26",
        compatibilityFlags: ["enable_request_signal"],
        r2Buckets: ["ARTIFACTS"],
        bindings: { EDGESERVE_INFERENCE_BATCHING: String(batching), EDGESERVE_INFERENCE_CACHE_MB: "64" },
      },
      {
        name: "caller",
        modules: true,
        script: callerWorker,
        compatibilityDate: "2026-04-26",
        serviceBindings: { INFERENCE: { name: "edgeserve-inference", entrypoint: "InferenceService" } },
      },
    ],
  });
  const url = await mf.ready;
  await (await mf.getR2Bucket("ARTIFACTS")).put("bench/mlp/1/model.onnx", new Uint8Array(modelBytes).buffer);
  const caller = await mf.getWorker("caller");
  const pids = workerdPids().filter((p) => !before.has(p));
  return { mf, url, caller, pids };
}

function workerCall(url) {
  return async (i) => {
    const response = await fetch(new URL("/v1/predict", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, input: { kind: "tensor", value: inputRows(i) } }),
    });
    const body = await response.json();
    if (response.status !== 200) throw new Error(`worker: ${response.status} ${JSON.stringify(body)}`);
    return body.predictions;
  };
}

/** A query to the gateway's `mlp` endpoint (MLflow's `inputs` protocol), as a Databricks client sends it. */
function gatewayCall(stack) {
  const headers = { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" };
  return async (i) => {
    const response = await fetch(`${stack.url}/serving-endpoints/mlp/invocations`, {
      method: "POST",
      headers,
      body: JSON.stringify({ inputs: inputRows(i) }),
    });
    const body = await response.json();
    if (response.status !== 200) throw new Error(`gateway: ${response.status} ${JSON.stringify(body)}`);
    return body.predictions;
  };
}

/** `n` calls through the calling worker, timed inside workerd (callerWorker); one batch per HTTP request. */
async function callThroughBinding(caller, mode, n, c, from = 0) {
  const res = await caller.fetch(`http://caller/?mode=${mode}&n=${n}&c=${c}&from=${from}`);
  const body = await res.json();
  if (res.status !== 200) throw new Error(`caller: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function measureBinding(name, caller, mode, concurrency, pids) {
  await callThroughBinding(caller, mode, 20, 1); // warm up
  await settle(pids);
  const cpuBefore = cpuSeconds(pids);
  const { ms, latencies } = await callThroughBinding(caller, mode, REQUESTS, concurrency);
  await settle(pids);
  return summarize(name, concurrency, latencies, ms / 1000, cpuSeconds(pids) - cpuBefore);
}

/**
 * The fair baseline for the HTTP paths: onnxruntime-node behind a plain Node HTTP server in its own process,
 * speaking the worker's protocol (`input.value`) and the gateway's (`inputs`), JSON in, JSON out, so both
 * sides pay the same HTTP and JSON costs.
 */
async function startNativeServer() {
  const source = `
    import http from "node:http";
    import { createRequire } from "node:module";
    const ort = createRequire(${JSON.stringify(path.join(repoRoot, "package.json"))})("onnxruntime-node");
    const session = await ort.InferenceSession.create(${JSON.stringify(MLP_FILE)}, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    const server = http.createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const parsed = JSON.parse(body);
      const rows = parsed.inputs ?? parsed.input.value;
      const features = new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
      const out = await session.run({ features });
      const data = Array.from(out.scores.data);
      const predictions = rows.map((_, i) => data.slice(i * 10, i * 10 + 10));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ predictions }));
    });
    server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await once(child.stdout, "data");
  const port = /PORT (\d+)/.exec(String(line))?.[1];
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill(), pid: child.pid };
}

const maxDiff = (a, b) => Math.max(...a.flat().map((v, k) => Math.abs(v - b[k])));

const NAMES = {
  native: "onnxruntime-node (native, in process)",
  nativeHttp: "onnxruntime-node behind Node HTTP (native, same protocol)",
  workerHttp: "inference worker alone (Node → workerd over HTTP, JSON, batching on)",
  workerHttpOff: "inference worker alone (Node → workerd over HTTP, JSON, batching off)",
  bindingHttp: "service binding, HTTP + JSON (the gateway's former call; timed in workerd)",
  bindingRpc: "service binding, RPC predict() (the gateway's call now; timed in workerd)",
  gateway: "query through the production gateway → RPC → worker (Node → workerd over HTTP)",
};

async function main() {
  // Local workerd's V8 flags, as pnpm serve and pnpm dev run it (infra/workerd-v8-flags).
  Object.assign(process.env, workerdEnv());
  const results = [];
  // Native: onnxruntime-node, single intra-op thread like the worker's single-threaded WASM.
  const session = await ortNode.InferenceSession.create(modelBytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const nativeCall = async (i) => {
    const rows = inputRows(i);
    const out = await session.run({
      features: new ortNode.Tensor("float32", Float32Array.from(rows.flat()), [ROWS, 64]),
    });
    return Array.from(out.scores.data);
  };
  const ownCpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };

  const bundleDir = buildWorker();
  const bundleBytes = fs.readdirSync(bundleDir).reduce((n, f) => n + fs.statSync(path.join(bundleDir, f)).size, 0);

  // Same answers first: the comparison means nothing if the runtimes or the paths disagree.
  const worker = await startWorker(bundleDir, true);
  const coldStart = performance.now();
  const fromWorker = await workerCall(worker.url)(0);
  const coldMs = round(performance.now() - coldStart);
  const fromNative = await nativeCall(0);
  const fromRpc = (await callThroughBinding(worker.caller, "rpc", 1, 1)).predictions;
  const diff = Math.max(maxDiff(fromWorker, fromNative), maxDiff(fromRpc, fromNative));
  if (!(diff < 1e-3)) throw new Error(`worker and native disagree (max |diff| ${diff})`);

  const nativeServer = await startNativeServer();
  for (const c of [1, CONCURRENCY]) {
    // This process's own CPU for the in-process rows: the load loop is all it runs.
    results.push(await measure(NAMES.native, nativeCall, c, { pids: [], cpu: ownCpu }));
    results.push(await measure(NAMES.nativeHttp, workerCall(nativeServer.url), c, { pids: [nativeServer.pid] }));
    results.push(await measure(NAMES.workerHttp, workerCall(worker.url), c, { pids: worker.pids }));
    results.push(await measureBinding(NAMES.bindingHttp, worker.caller, "http", c, worker.pids));
    results.push(await measureBinding(NAMES.bindingRpc, worker.caller, "rpc", c, worker.pids));
  }
  // The goal's pair again, interleaved, so both sides of each round see the same moment of the shared host.
  const rounds = [];
  for (let k = 0; k < ROUNDS; k++) {
    const native = await measure(NAMES.native, nativeCall, 1, { pids: [], cpu: ownCpu });
    const rpc = await measureBinding(NAMES.bindingRpc, worker.caller, "rpc", 1, worker.pids);
    rounds.push({
      native_mean_ms: native.mean_ms,
      rpc_mean_ms: rpc.mean_ms,
      rpc_vs_native_mean: round(rpc.mean_ms / native.mean_ms),
      load_1m: loadAverage()[0],
    });
  }
  await worker.mf.dispose();
  const off = await startWorker(bundleDir, false);
  results.push(await measure(NAMES.workerHttpOff, workerCall(off.url), CONCURRENCY, { pids: off.pids }));
  await off.mf.dispose();

  // The whole query path: the production bundles (pnpm serve) with the MLP published and served.
  const stack = await startGatewayWithMlp();
  let gatewayColdMs;
  try {
    const t = performance.now();
    const fromGateway = await gatewayCall(stack)(0);
    gatewayColdMs = round(performance.now() - t);
    const gatewayDiff = maxDiff(fromGateway, fromNative);
    if (!(gatewayDiff < 1e-3)) throw new Error(`gateway and native disagree (max |diff| ${gatewayDiff})`);
    for (const c of [1, CONCURRENCY]) {
      results.push(await measure(NAMES.gateway, gatewayCall(stack), c, { pids: stack.workerdPids }));
    }
  } finally {
    await stack.stop();
    nativeServer.stop();
  }

  const pick = (name, c) => results.find((r) => r.name === name && r.concurrency === c);
  const ratio = (path, baseline, c, goal) => ({
    path,
    baseline,
    concurrency: c,
    mean_ratio: round(pick(path, c).mean_ms / pick(baseline, c).mean_ms),
    p50_ratio: round(pick(path, c).p50_ms / pick(baseline, c).p50_ms),
    throughput_ratio: round(pick(baseline, c).throughput_rps / pick(path, c).throughput_rps),
    ...(goal && { goal }),
  });
  const summary = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`,
    model: "MLP 64→256→256→10 (float32, workers/inference/test/fixtures/onnx/mlp)",
    rows_per_request: ROWS,
    bundle_bytes: bundleBytes,
    cold_first_request_ms: coldMs,
    gateway_cold_first_query_ms: gatewayColdMs,
    max_abs_diff_worker_vs_native: diff,
    load_average: loadAverage(),
    results,
    rounds,
    ratios: [
      ratio(NAMES.bindingRpc, NAMES.native, 1, "≤ 3×"),
      ratio(NAMES.bindingHttp, NAMES.native, 1),
      ratio(NAMES.bindingRpc, NAMES.native, CONCURRENCY),
      ratio(NAMES.gateway, NAMES.nativeHttp, 1),
      ratio(NAMES.gateway, NAMES.nativeHttp, CONCURRENCY),
      ratio(NAMES.gateway, NAMES.native, 1),
      ratio(NAMES.workerHttp, NAMES.nativeHttp, 1),
      ratio(NAMES.workerHttp, NAMES.native, 1),
    ],
  };
  // The machine is shared and noisy: every run's headline figures are kept (the last 10) to show the spread.
  const previous = readPreviousRuns();
  summary.runs = [...previous, headline(summary)].slice(-10);
  fs.writeFileSync(path.join(repoRoot, "bench/inference.json"), `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(path.join(repoRoot, "bench/INFERENCE.md"), report(summary));
  console.log(report(summary));
}

function readPreviousRuns() {
  try {
    return JSON.parse(fs.readFileSync(path.join(repoRoot, "bench/inference.json"), "utf8")).runs ?? [];
  } catch {
    return [];
  }
}

/** A run's figures that the goals are about, for the spread table. */
function headline(s) {
  const find = (name, c) => s.results.find((r) => r.name === name && r.concurrency === c);
  const ratioOf = (path, baseline, c) =>
    s.ratios.find((r) => r.path === path && r.baseline === baseline && r.concurrency === c);
  const rpc = ratioOf(NAMES.bindingRpc, NAMES.native, 1);
  const roundRatios = s.rounds.map((r) => r.rpc_vs_native_mean);
  return {
    date: s.date,
    load_average: s.load_average,
    native_mean_ms: find(NAMES.native, 1).mean_ms,
    rpc_mean_ms: find(NAMES.bindingRpc, 1).mean_ms,
    http_binding_mean_ms: find(NAMES.bindingHttp, 1).mean_ms,
    rpc_vs_native_mean: rpc.mean_ratio,
    rpc_vs_native_throughput: rpc.throughput_ratio,
    rounds_rpc_vs_native_mean: roundRatios,
    rounds_median: roundRatios.length ? median(roundRatios) : null,
    gateway_vs_native_http_mean: ratioOf(NAMES.gateway, NAMES.nativeHttp, 1).mean_ratio,
    rpc_cpu_ms: find(NAMES.bindingRpc, 1).cpu_ms_per_query,
    http_binding_cpu_ms: find(NAMES.bindingHttp, 1).cpu_ms_per_query,
    gateway_cpu_ms: find(NAMES.gateway, 1).cpu_ms_per_query,
  };
}

/** A markdown table row. */
const row = (cells) => `| ${cells.join(" | ")} |`;
const spread = (ratios) => `${ratios.join("×, ")}×`;
const range = (ratios) => {
  if (!ratios.length) return "no figures";
  return `median ${median(ratios)}×, from ${Math.min(...ratios)}× to ${Math.max(...ratios)}×`;
};
const RUN_COLUMNS = [
  "run",
  "load average 1/5/15",
  "native mean ms",
  "RPC hop mean ms",
  "HTTP+JSON hop mean ms",
  "RPC ÷ native",
  "RPC ÷ native in the rounds",
  "gateway ÷ native behind HTTP",
  "CPU ms/query: RPC hop / HTTP hop / gateway",
];

function report(s) {
  const rows = s.results
    .map((r) =>
      row([r.name, r.concurrency, r.mean_ms, r.p50_ms, r.p99_ms, r.throughput_rps, r.cpu_ms_per_query ?? "–"]),
    )
    .join("\n");
  const ratios = s.ratios
    .map((r) =>
      row([
        r.path,
        r.baseline,
        r.concurrency,
        `${r.mean_ratio}×`,
        `${r.p50_ratio}×`,
        `${r.throughput_ratio}×`,
        r.goal ?? "",
      ]),
    )
    .join("\n");
  const rounds = s.rounds
    .map((r, k) => row([k + 1, r.native_mean_ms, r.rpc_mean_ms, `${r.rpc_vs_native_mean}×`, r.load_1m]))
    .join("\n");
  const roundRatios = s.rounds.map((r) => r.rpc_vs_native_mean);
  const runs = s.runs
    .map((r) =>
      row([
        r.date,
        r.load_average?.join(" / ") ?? "–",
        r.native_mean_ms,
        r.rpc_mean_ms,
        r.http_binding_mean_ms,
        `${r.rpc_vs_native_mean}×`,
        r.rounds_rpc_vs_native_mean ? `${spread(r.rounds_rpc_vs_native_mean)} (median ${r.rounds_median}×)` : "–",
        `${r.gateway_vs_native_http_mean}×`,
        `${r.rpc_cpu_ms} / ${r.http_binding_cpu_ms} / ${r.gateway_cpu_ms}`,
      ]),
    )
    .join("\n");
  const everyRatio = s.runs.flatMap((r) => r.rounds_rpc_vs_native_mean ?? [r.rpc_vs_native_mean]);
  const bundleMiB = (s.bundle_bytes / 1048576).toFixed(1);
  return `# In-worker inference vs native (\`pnpm bench:inference\`)

${s.date}; ${s.machine}; load average ${s.load_average.join(" / ")} (1/5/15 min) at the end of the run.
Model: ${s.model}, ${s.rows_per_request} rows per request, the same inputs on every path
(worker and native answers agree within ${s.max_abs_diff_worker_vs_native.toExponential(1)}).
Worker: the \`wrangler deploy --dry-run\` bundle (${bundleMiB} MiB) on workerd through Miniflare.
Native: onnxruntime-node, one intra-op thread. Cold first request (R2 read + session create):
${s.cold_first_request_ms} ms; through the gateway: ${s.gateway_cold_first_query_ms} ms.

- *service binding* rows: a worker bound to the inference worker as the gateway is (entrypoint \`InferenceService\`)
  makes the calls and times them inside workerd, so no HTTP from Node is on the path: the former gateway call
  (\`INFERENCE.fetch("/v1/predict")\`, JSON both ways) beside the RPC call queries make now (\`INFERENCE.predict()\`,
  structured clone). workerd's clock moves at I/O, so their p50/p99 are whole milliseconds; mean and req/s are exact.
- *production gateway* rows: \`pnpm serve\`'s stack (both production bundles), endpoint \`mlp\` serving the model
  from the registry (signature checked, usage tracking and payload logging on), queried with the admin token.
- CPU ms/query: the CPU time of the process(es) that served the row over the run (\`/proc\`, after the work a run
  leaves behind, such as queue consumers, has finished), divided by its queries. For workerd rows that is what
  Workers bills (the inference worker and its caller, or the gateway with its consumers); the gateway rows also
  count Miniflare's local D1/R2/Queues simulators in the same process, so they are an upper bound.
  In-process native: this Node process's CPU, load loop included.

| path | concurrency | mean ms | p50 ms | p99 ms | req/s | CPU ms/query |
|---|---|---|---|---|---|---|
${rows}

Ratios (path / baseline; throughput: baseline req/s / path req/s):

| path | baseline | concurrency | mean latency | p50 latency | throughput | goal |
|---|---|---|---|---|---|---|
${ratios}

The goal's pair (RPC hop ÷ in-process native, 1 connection, mean latency; goal ≤ 3×) measured again in
${s.rounds.length} interleaved rounds of ${REQUESTS} calls each (\`--rounds\`), native then RPC in each round:
${range(roundRatios)}.

| round | native mean ms | RPC hop mean ms | RPC ÷ native | load 1 min |
|---|---|---|---|---|
${rounds}

Both sides share this machine's 2 cores with the load generator and with other jobs. The spread over the
recorded runs (1 connection; ratios of mean latency, goal for the RPC hop ≤ 3× in-process native); over every
measurement of the goal's ratio recorded below (each round, or a run's single figure where it had no rounds):
${range(everyRatio)} (${everyRatio.length} measurements).

${row(RUN_COLUMNS)}
${row(RUN_COLUMNS.map(() => "---"))}
${runs}
`;
}

await main();
process.exit(0);
