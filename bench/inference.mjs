#!/usr/bin/env node
// In-worker inference vs native: the same ONNX model and inputs through the inference worker on workerd
// (the `wrangler deploy --dry-run` bundle loaded by Miniflare: no dev reload layers) and through
// onnxruntime-node in this Node process, 1 and N concurrent, in one run. Writes bench/INFERENCE.md and
// bench/inference.json.
//
//   pnpm bench:inference [--requests=400] [--concurrency=8] [--rows=32]
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { Log, LogLevel, Miniflare } from "miniflare";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const REQUESTS = Number(args.requests ?? 400);
const CONCURRENCY = Number(args.concurrency ?? 8);
const ROWS = Number(args.rows ?? 32);
const repoRoot = path.resolve(import.meta.dirname, "..");
const workerDir = path.join(repoRoot, "workers/inference");
// onnxruntime-node is a dev dependency of the repository root (bench and infra scripts).
const require = createRequire(path.join(repoRoot, "package.json"));
const ortNode = require("onnxruntime-node");

// The fixtures helper's models would go here once merged; until then our own MLP (make-models.py).
const modelFile = path.join(workerDir, "test/fixtures/onnx/mlp/model.onnx");
const modelBytes = fs.readFileSync(modelFile);

/** Deterministic inputs: request i gets ROWS rows of 64 features. */
function inputRows(i) {
  return Array.from({ length: ROWS }, (_, r) => Array.from({ length: 64 }, (_, c) => Math.sin(i * 31 + r * 7 + c)));
}

async function measure(name, call, concurrency) {
  for (let i = 0; i < 20; i++) await call(i); // warm up (and the cold load, reported separately)
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
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    name,
    concurrency,
    requests: REQUESTS,
    p50_ms: round(q(0.5)),
    p99_ms: round(q(0.99)),
    throughput_rps: round(REQUESTS / seconds),
  };
}

const round = (x) => Math.round(x * 100) / 100;

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

async function startWorker(bundleDir, batching) {
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    // The bundle imports transformers.js lazily (import()), so its modules are listed, not discovered.
    modulesRoot: bundleDir,
    modules: ["index.js", ...fs.readdirSync(bundleDir).filter((f) => f !== "index.js" && /\.(m?js|wasm)$/.test(f))].map(
      (f) => ({
        type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
        path: path.join(bundleDir, f),
      }),
    ),
    cf: false,
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["enable_request_signal"],
    r2Buckets: ["ARTIFACTS"],
    bindings: { EDGESERVE_INFERENCE_BATCHING: String(batching), EDGESERVE_INFERENCE_CACHE_MB: "64" },
    log: new Log(LogLevel.WARN),
  });
  const url = await mf.ready;
  await (await mf.getR2Bucket("ARTIFACTS")).put("bench/mlp/1/model.onnx", new Uint8Array(modelBytes).buffer);
  return { mf, url };
}

const model = {
  key: "bench.mlp/1",
  artifactPrefix: "bench/mlp/1/",
  flavor: "onnx",
  flavorConfig: { data: "model.onnx" },
};

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

/**
 * The fair baseline for the HTTP path: onnxruntime-node behind a plain Node HTTP server in its own process,
 * speaking the worker's protocol (JSON in, JSON out), so both sides pay the same HTTP and JSON costs.
 */
async function startNativeServer() {
  const source = `
    import http from "node:http";
    import { createRequire } from "node:module";
    const ort = createRequire(${JSON.stringify(path.join(repoRoot, "package.json"))})("onnxruntime-node");
    const session = await ort.InferenceSession.create(${JSON.stringify(modelFile)}, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const server = http.createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const rows = JSON.parse(body).input.value;
      const out = await session.run({ features: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, rows[0].length]) });
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
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function main() {
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

  const bundleDir = buildWorker();
  const bundleBytes = fs.readdirSync(bundleDir).reduce((n, f) => n + fs.statSync(path.join(bundleDir, f)).size, 0);

  // Same answers first: the comparison means nothing if the two runtimes disagree.
  const { mf, url } = await startWorker(bundleDir, true);
  const coldStart = performance.now();
  const fromWorker = await workerCall(url)(0);
  const coldMs = round(performance.now() - coldStart);
  const fromNative = await nativeCall(0);
  const maxDiff = Math.max(...fromWorker.flat().map((v, k) => Math.abs(v - fromNative[k])));
  if (!(maxDiff < 1e-3)) throw new Error(`worker and native disagree (max |diff| ${maxDiff})`);

  const nativeServer = await startNativeServer();
  for (const c of [1, CONCURRENCY]) {
    results.push(await measure("onnxruntime-node (native, in process)", nativeCall, c));
    results.push(
      await measure("onnxruntime-node behind Node HTTP (native, same protocol)", workerCall(nativeServer.url), c),
    );
    results.push(await measure("inference worker (workerd, HTTP, batching on)", workerCall(url), c));
  }
  await mf.dispose();
  nativeServer.stop();
  const off = await startWorker(bundleDir, false);
  results.push(await measure("inference worker (workerd, HTTP, batching off)", workerCall(off.url), CONCURRENCY));
  await off.mf.dispose();

  const pick = (name, c) => results.find((r) => r.name.startsWith(name) && r.concurrency === c);
  const ratio = (c, baseline) => ({
    concurrency: c,
    baseline,
    p50_ratio: round(pick("inference worker (workerd, HTTP, batching on)", c).p50_ms / pick(baseline, c).p50_ms),
    throughput_ratio: round(
      pick(baseline, c).throughput_rps / pick("inference worker (workerd, HTTP, batching on)", c).throughput_rps,
    ),
  });
  const summary = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`,
    model: "MLP 64→256→256→10 (float32, test/fixtures/onnx/mlp)",
    rows_per_request: ROWS,
    bundle_bytes: bundleBytes,
    cold_first_request_ms: coldMs,
    max_abs_diff_worker_vs_native: maxDiff,
    results,
    ratios: [1, CONCURRENCY].flatMap((c) => [
      ratio(c, "onnxruntime-node behind Node HTTP"),
      ratio(c, "onnxruntime-node (native, in process)"),
    ]),
  };
  fs.writeFileSync(path.join(repoRoot, "bench/inference.json"), `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(path.join(repoRoot, "bench/INFERENCE.md"), report(summary));
  console.log(report(summary));
}

function report(s) {
  const rows = s.results
    .map((r) => `| ${r.name} | ${r.concurrency} | ${r.p50_ms} | ${r.p99_ms} | ${r.throughput_rps} |`)
    .join("\n");
  const ratios = s.ratios
    .map((r) => `| ${r.baseline} | ${r.concurrency} | ${r.p50_ratio}× | ${r.throughput_ratio}× |`)
    .join("\n");
  return `# In-worker inference vs native (\`pnpm bench:inference\`)

${s.date}; ${s.machine}. Model: ${s.model}, ${s.rows_per_request} rows per request, the same inputs on both sides
(worker and native answers agree within ${s.max_abs_diff_worker_vs_native.toExponential(1)}).
Worker: the \`wrangler deploy --dry-run\` bundle (${(s.bundle_bytes / 1048576).toFixed(1)} MiB) on workerd through Miniflare,
called over HTTP from this Node process. Native: onnxruntime-node in the same process, one intra-op thread.
Cold first request (R2 read + session create): ${s.cold_first_request_ms} ms.

| path | concurrency | p50 ms | p99 ms | req/s |
|---|---|---|---|---|
${rows}

Ratio worker / native (goal: within 2×):

| baseline | concurrency | p50 latency | throughput |
|---|---|---|---|
${ratios}

The worker's latency includes an HTTP round trip through Miniflare's entry worker and JSON encoding of
inputs and outputs, which the native call does not pay; a gateway calling the worker over a service
binding pays the JSON part too. Both sides share this machine's cores with the load generator.
`;
}

await main();
process.exit(0);
