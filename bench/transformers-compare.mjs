#!/usr/bin/env node
// @xenova/transformers 2.17.2 vs @huggingface/transformers 4.3 (what the inference worker uses), in workerd,
// in one run: the same MiniLM-shaped feature-extraction model (test/fixtures/models/minilm.mjs; int8
// onnx/model_quantized.onnx and fp32 onnx/model.onnx) read from R2, the same sentences. Each library gets a tiny worker
// (bench/transformers-compare/v2-worker.mjs, v4-worker.mjs) bundled by `wrangler deploy --dry-run` and run
// by Miniflare (no dev reload layers). Measures bundle size, cold first request, steady latency at 1
// connection and throughput at 4, and checks both give the same embedding. Writes bench/TRANSFORMERS.md
// and bench/transformers.json.
//
//   pnpm bench:transformers [--requests=200] [--cold-runs=3] [--concurrency=4] [--warmup=100] [--dtypes=q8,fp32]
//
// @xenova/transformers lives outside the pnpm workspace (bench/transformers-compare/package.json) and is
// installed here with `npm ci --ignore-scripts` (npm registry only): its sharp 0.32 dependency downloads
// libvips from GitHub in its install script; with --ignore-scripts it is never built, and the bundle
// aliases it to an empty module.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";
import { Log, LogLevel, Miniflare } from "miniflare";
import { ensureMiniLmFixtures } from "../test/fixtures/models/minilm.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const REQUESTS = Number(args.requests ?? 200);
const COLD_RUNS = Number(args["cold-runs"] ?? 3);
const CONCURRENCY = Number(args.concurrency ?? 4);
const WARMUP = Number(args.warmup ?? 100); // requests after the cold load before steady-state timing starts
// Steady-state requests are split into rounds alternating the two libraries, so drift in the machine's load hits both.
const ROUNDS = 4;
const repoRoot = path.resolve(import.meta.dirname, "..");
const compareDir = path.join(repoRoot, "bench/transformers-compare");
const inferenceDir = path.join(repoRoot, "workers/inference");
const requireRoot = createRequire(path.join(repoRoot, "package.json"));
const log = (...m) => console.error("[bench:transformers]", ...m);

const SENTENCE = "A cat sat on the mat.";
const CHECK_SENTENCES = [
  SENTENCE,
  "Paris is the capital of France.",
  "The quarterly report shows revenue growing by 12 percent.",
];
const MODEL_DIR = "bench/minilm/model"; // R2 key prefix of the transformers.js folder (several slashes: not a Hub id)
// q8 → onnx/model_quantized.onnx (v2: quantized: true), fp32 → onnx/model.onnx (v2: quantized: false).
const DTYPES = String(args.dtypes ?? "q8,fp32").split(",");
const MODEL_FILE = { q8: "onnx/model_quantized.onnx", fp32: "onnx/model.onnx" };

// ------------------------------------------------------------------ @xenova/transformers, outside the workspace
function installXenova() {
  const main = path.join(compareDir, "node_modules/@xenova/transformers/package.json");
  if (fs.existsSync(main)) return;
  log("installing @xenova/transformers into bench/transformers-compare (npm ci --ignore-scripts)…");
  execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: compareDir,
    stdio: "inherit",
    timeout: 300_000,
  });
}

const versionOf = (dir, name) =>
  JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;

// ------------------------------------------------------------------ bundles
const empty = path.join(compareDir, "empty-module.mjs");
const VARIANTS = {
  v2: {
    label: "@xenova/transformers",
    entry: path.join(compareDir, "v2-worker.mjs"),
    // The package's `browser` field maps these to false; wrangler does not read that map, so alias them.
    alias: { fs: empty, path: empty, url: empty, sharp: empty, "onnxruntime-node": empty },
  },
  v4: {
    label: "@huggingface/transformers",
    entry: path.join(compareDir, "v4-worker.mjs"),
    // As workers/inference/wrangler.toml: the CPU/WASM build instead of the 27 MB WebGPU one. Absolute,
    // because wrangler resolves aliases from the config's folder and this one is a temporary directory.
    alias: {
      "onnxruntime-web/webgpu": fs.realpathSync(
        path.join(inferenceDir, "node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs"),
      ),
    },
  },
};

function build(name) {
  const variant = VARIANTS[name];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `edgeserve-transformers-${name}-`));
  const outdir = path.join(work, "dist");
  const config = path.join(work, "wrangler.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      name: `bench-transformers-${name}`,
      main: variant.entry,
      compatibility_date: "2026-04-26",
      alias: variant.alias,
      r2_buckets: [{ binding: "ARTIFACTS", bucket_name: "bench" }],
    }),
  );
  const result = spawnSync(
    process.execPath,
    [requireRoot.resolve("wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "-c", config],
    {
      cwd: repoRoot,
      encoding: "utf8",
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        XDG_CONFIG_HOME: work,
        WRANGLER_LOG_PATH: work,
      },
    },
  );
  if (result.status !== 0) throw new Error(`wrangler build of ${name} failed:\n${result.stdout}\n${result.stderr}`);
  const files = fs.readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
  const raw = files.reduce((n, f) => n + fs.statSync(path.join(outdir, f)).size, 0);
  const gzip = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(outdir, f))).length, 0);
  return { work, outdir, files, main: `${path.parse(variant.entry).name}.js`, raw, gzip };
}

// ------------------------------------------------------------------ workers
async function start(bundle, modelFiles, dtype) {
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    // Lazily imported chunks are listed, not discovered.
    modulesRoot: bundle.outdir,
    modules: [bundle.main, ...bundle.files.filter((f) => f !== bundle.main)].map((f) => ({
      type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
      path: path.join(bundle.outdir, f),
    })),
    cf: false,
    compatibilityDate: "2026-04-26",
    r2Buckets: ["ARTIFACTS"],
    bindings: { MODEL_DIR, MODEL_DTYPE: dtype },
    log: new Log(LogLevel.WARN),
  });
  const url = await mf.ready;
  const bucket = await mf.getR2Bucket("ARTIFACTS");
  for (const [key, bytes] of modelFiles) await bucket.put(key, bytes);
  return { mf, url };
}

async function embed(url, texts) {
  const response = await fetch(new URL("/embed", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ texts }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`worker: ${response.status} ${body.error ?? JSON.stringify(body)}`);
  return body.embeddings;
}

async function timedRequests(url, count, concurrency, latencies) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const t = performance.now();
        await embed(url, [SENTENCE]);
        latencies.push(performance.now() - t);
      }
    }),
  );
}

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const cosine = (a, b) =>
  a.reduce((s, x, i) => s + x * b[i], 0) /
  Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
const loadavg = () => os.loadavg().map((x) => round(x));

/** Cold starts, the embedding check and steady-state figures for one model file, both libraries. */
async function measureDtype(dtype, fixture, bundles) {
  const modelFiles = [
    [`${MODEL_DIR}/config.json`, fixture.config],
    [`${MODEL_DIR}/tokenizer.json`, fixture.tokenizer],
    [`${MODEL_DIR}/tokenizer_config.json`, fixture.tokenizerConfig],
    [`${MODEL_DIR}/${MODEL_FILE[dtype]}`, dtype === "q8" ? fixture.onnxQuantized : fixture.onnx],
  ].map(([key, file]) => [key, new Uint8Array(fs.readFileSync(file))]);

  // Cold: a fresh workerd per run, first /embed = library import + WASM instantiation + model read from R2
  // + session creation + one inference. Alternating v2, v4, v2, … so both see the same background load.
  const cold = { v2: [], v4: [] };
  const coldEmbeddings = {};
  for (let run = 0; run < COLD_RUNS; run++) {
    for (const name of ["v2", "v4"]) {
      const { mf, url } = await start(bundles[name], modelFiles, dtype);
      const t = performance.now();
      coldEmbeddings[name] = await embed(url, CHECK_SENTENCES);
      cold[name].push(round(performance.now() - t, 0));
      await mf.dispose();
      log(`${dtype} cold ${name} run ${run + 1}: ${cold[name].at(-1)} ms`);
    }
  }

  // Same answers, or the comparison means nothing.
  const cosines = CHECK_SENTENCES.map((_, i) => cosine(coldEmbeddings.v2[i], coldEmbeddings.v4[i]));
  const maxAbsDiff = Math.max(
    ...CHECK_SENTENCES.flatMap((_, i) => coldEmbeddings.v2[i].map((x, k) => Math.abs(x - coldEmbeddings.v4[i][k]))),
  );
  log(
    `${dtype} cosine v2·v4 per sentence: ${cosines.map((c) => c.toFixed(6)).join(", ")}; ` +
      `max |diff| ${maxAbsDiff.toExponential(2)}`,
  );
  if (!cosines.every((c) => c > 0.999))
    throw new Error(`the two libraries disagree on ${dtype}: cosines ${cosines.join(", ")}`);

  // Steady: both workers up, warmed, then rounds alternating between them.
  const running = { v2: await start(bundles.v2, modelFiles, dtype), v4: await start(bundles.v4, modelFiles, dtype) };
  // The first requests after a load run before V8 has tiered the WASM up (Liftoff → TurboFan), so they are
  // recorded apart: what a freshly started isolate serves before it reaches the steady state.
  const warmup = {};
  for (const name of ["v2", "v4"]) {
    const latencies = [];
    for (let i = 0; i < WARMUP; i++) {
      const t = performance.now();
      await embed(running[name].url, [SENTENCE]);
      latencies.push(performance.now() - t);
    }
    const ranges = [
      [1, 10],
      [11, 20],
      [21, 50],
      [51, WARMUP],
    ].filter(([from, to]) => from <= to && to <= WARMUP);
    warmup[name] = {
      requests: WARMUP,
      first_10_mean_ms: round(mean(latencies.slice(0, 10))),
      last_10_mean_ms: round(mean(latencies.slice(-10))),
      mean_ms_by_request: Object.fromEntries(
        ranges.map(([from, to]) => [`${from}-${to}`, round(mean(latencies.slice(from - 1, to)))]),
      ),
    };
    log(`${dtype} ${name} warm-up: ${JSON.stringify(warmup[name])}`);
  }
  const steady = {};
  for (const concurrency of [1, CONCURRENCY]) {
    const latencies = { v2: [], v4: [] };
    const seconds = { v2: 0, v4: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of r % 2 ? ["v4", "v2"] : ["v2", "v4"]) {
        const t = performance.now();
        await timedRequests(running[name].url, REQUESTS / ROUNDS, concurrency, latencies[name]);
        seconds[name] += (performance.now() - t) / 1000;
      }
    }
    for (const name of ["v2", "v4"]) {
      const sorted = latencies[name].sort((a, b) => a - b);
      steady[`${name}@${concurrency}`] = {
        concurrency,
        requests: sorted.length,
        p50_ms: round(quantile(sorted, 0.5)),
        p99_ms: round(quantile(sorted, 0.99)),
        throughput_rps: round(sorted.length / seconds[name], 1),
      };
      log(`${dtype} ${name} at ${concurrency} connection(s): ${JSON.stringify(steady[`${name}@${concurrency}`])}`);
    }
  }
  for (const { mf } of Object.values(running)) await mf.dispose();

  const side = (name) => ({
    cold_first_request_ms: cold[name],
    cold_first_request_median_ms: median(cold[name]),
    warmup: warmup[name],
    steady_1: steady[`${name}@1`],
    [`steady_${CONCURRENCY}`]: steady[`${name}@${CONCURRENCY}`],
  });
  const v2 = side("v2");
  const v4 = side("v4");
  return {
    dtype,
    model_file: `${MODEL_FILE[dtype]} (${round(modelFiles[3][1].byteLength / 2 ** 20, 1)} MiB)`,
    same_embedding: {
      sentences: CHECK_SENTENCES.length,
      cosine_min: round(Math.min(...cosines), 6),
      max_abs_diff: Number(maxAbsDiff.toExponential(2)),
    },
    v2,
    v4,
    ratios_v4_over_v2: {
      cold_first_request: round(v4.cold_first_request_median_ms / v2.cold_first_request_median_ms),
      warmup_first_10: round(v4.warmup.first_10_mean_ms / v2.warmup.first_10_mean_ms),
      warmup_last_10: round(v4.warmup.last_10_mean_ms / v2.warmup.last_10_mean_ms),
      p50_1: round(v4.steady_1.p50_ms / v2.steady_1.p50_ms),
      p99_1: round(v4.steady_1.p99_ms / v2.steady_1.p99_ms),
      throughput_1: round(v4.steady_1.throughput_rps / v2.steady_1.throughput_rps),
      [`p50_${CONCURRENCY}`]: round(v4[`steady_${CONCURRENCY}`].p50_ms / v2[`steady_${CONCURRENCY}`].p50_ms),
      [`throughput_${CONCURRENCY}`]: round(
        v4[`steady_${CONCURRENCY}`].throughput_rps / v2[`steady_${CONCURRENCY}`].throughput_rps,
      ),
    },
  };
}

async function main() {
  installXenova();
  const fixture = ensureMiniLmFixtures()["feature-extraction"];
  const loadBefore = loadavg();
  log("bundling both workers with wrangler deploy --dry-run…");
  const bundles = { v2: build("v2"), v4: build("v4") };
  const models = [];
  for (const dtype of DTYPES) models.push(await measureDtype(dtype, fixture, bundles));
  for (const bundle of Object.values(bundles)) fs.rmSync(bundle.work, { recursive: true, force: true });

  const library = (name) => ({
    package: VARIANTS[name].label,
    version:
      name === "v2"
        ? versionOf(compareDir, "@xenova/transformers")
        : versionOf(inferenceDir, "@huggingface/transformers"),
    onnxruntime_web:
      name === "v2" ? versionOf(compareDir, "onnxruntime-web") : versionOf(inferenceDir, "onnxruntime-web"),
    bundle_raw_bytes: bundles[name].raw,
    bundle_gzip_bytes: bundles[name].gzip,
  });
  const v2 = library("v2");
  const v4 = library("v4");
  const summary = {
    date: new Date().toISOString(),
    machine:
      `${os.cpus().length} cores (${os.cpus()[0]?.model}), ${round(os.totalmem() / 2 ** 30, 1)} GiB, ` +
      `node ${process.version}, shared with other jobs`,
    loadavg_before: loadBefore,
    loadavg_after: loadavg(),
    runtime:
      `workerd via miniflare ${versionOf(repoRoot, "miniflare")}, ` +
      `bundles by wrangler ${versionOf(repoRoot, "wrangler")} (deploy --dry-run)`,
    model:
      "MiniLM-shaped BERT (6 layers, 384 hidden, 12 heads, bert-base-uncased tokenizer, seeded random weights; " +
      "test/fixtures/models/minilm.mjs), read from R2",
    input: `one short sentence per request ("${SENTENCE}"), mean pooling, L2-normalized`,
    requests_per_setting: REQUESTS,
    libraries: { v2, v4 },
    bundle_ratios_v4_over_v2: {
      raw: round(v4.bundle_raw_bytes / v2.bundle_raw_bytes),
      gzip: round(v4.bundle_gzip_bytes / v2.bundle_gzip_bytes),
    },
    models,
  };
  fs.writeFileSync(path.join(repoRoot, "bench/transformers.json"), `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(path.join(repoRoot, "bench/TRANSFORMERS.md"), report(summary));
  console.log(report(summary));
}

function report(s) {
  const { v2, v4 } = s.libraries;
  const c = CONCURRENCY;
  const mib = (b) => (b / 2 ** 20).toFixed(1);
  const name = (l) => `${l.package} ${l.version}`;
  const rows = s.models
    .map((m) => {
      const r = m.ratios_v4_over_v2;
      const row = (l, x) => {
        const warmup = Object.values(x.warmup.mean_ms_by_request)
          .map((v) => Math.round(v))
          .join(" → ");
        const steady = x[`steady_${c}`];
        return (
          `| ${m.dtype} | ${name(l)} | ${x.cold_first_request_median_ms} (${x.cold_first_request_ms.join(", ")}) | ` +
          `${warmup} | ${x.steady_1.p50_ms} / ${x.steady_1.p99_ms} | ${x.steady_1.throughput_rps} | ` +
          `${steady.p50_ms} / ${steady.p99_ms} | ${steady.throughput_rps} |`
        );
      };
      return [
        row(v2, m.v2),
        row(v4, m.v4),
        `| ${m.dtype} | **v4 ÷ v2** | ${r.cold_first_request} | ` +
          `first 10: ${r.warmup_first_10}, last 10: ${r.warmup_last_10} | ${r.p50_1} / ${r.p99_1} | ` +
          `${r.throughput_1} | ${r[`p50_${c}`]} / – | ${r[`throughput_${c}`]} |`,
      ].join("\n");
    })
    .join("\n");
  const same = s.models
    .map(
      (m) =>
        `${m.dtype} (${m.model_file}): cosine ≥ ${m.same_embedding.cosine_min.toFixed(6)}, ` +
        `max |diff| ${m.same_embedding.max_abs_diff}`,
    )
    .join("; ");
  // A backslash at the end of a line of this template continues the line: the Markdown keeps its line breaks.
  return `# transformers.js in workerd: @xenova/transformers v2 vs @huggingface/transformers v4 \
(\`pnpm bench:transformers\`)

${s.date}; ${s.machine}; load average ${s.loadavg_before.join(" ")} before, ${s.loadavg_after.join(" ")} after.
${s.runtime}.
Model: ${s.model}.
Input: ${s.input}.
After the cold runs both workers are started again and each serves ${WARMUP} warm-up requests one at a time (the
first ones are several times slower in both libraries, most likely V8 compiling the WASM functions lazily \
and tiering them up;
see the warm-up column), then ${s.requests_per_setting} timed requests per library and setting, in ${ROUNDS} rounds
alternating the two libraries. Latency is seen by the client (Node fetch over loopback into Miniflare's
entry worker), so it includes HTTP and JSON.

Bundles (\`wrangler deploy --dry-run\`, JS + wasm, gzip level 6): ${name(v2)} (ONNX Runtime Web ${v2.onnxruntime_web})
${mib(v2.bundle_raw_bytes)} / ${mib(v2.bundle_gzip_bytes)} MiB; ${name(v4)} (ONNX Runtime Web ${v4.onnxruntime_web})
${mib(v4.bundle_raw_bytes)} / ${mib(v4.bundle_gzip_bytes)} MiB; \
v4 ÷ v2 = ${s.bundle_ratios_v4_over_v2.raw} raw / ${s.bundle_ratios_v4_over_v2.gzip} gzip.

| model | library | cold first request ms, median (runs) \
| warm-up ms, mean of requests ${Object.keys(s.models[0].v2.warmup.mean_ms_by_request).join(" → ")} \
| 1 conn p50 / p99 ms | 1 conn req/s | ${c} conn p50 / p99 ms | ${c} conn req/s |
|---|---|---|---|---|---|---|---|
${rows}

Same embedding from both libraries on ${CHECK_SENTENCES.length} sentences: ${same}.

Cold first request = a fresh workerd, first \`/embed\`: library import, ONNX Runtime WASM instantiation (precompiled
module), model files read from R2, session creation and one inference of ${CHECK_SENTENCES.length} sentences.
At ${c} connections one isolate still runs one inference at a time (single-threaded WASM, and v4 chains its
session runs), so requests queue: p50 is about ${c}× the single-connection latency and throughput measures per-request
overhead, not parallelism.

Noise: 2 cores shared with a CI run and other jobs (load average above); absolute figures move a lot between runs
on this machine. The two libraries run interleaved in the same run, so their ratios are more trustworthy than \
the absolutes.
Keep a run's JSON in bench/transformers-compare/runs/ to compare across runs \
(docs/custom-models/huggingface.md sums them up).

Workers: bench/transformers-compare/v2-worker.mjs (ONNX Runtime Web 1.14's \`ort-wasm-simd.wasm\` imported as a
module and swapped in for the loader's fetch + instantiateStreaming; sharp, onnxruntime-node, fs, path, url aliased
to an empty module) and v4-worker.mjs (the inference worker's own src/ort + transformers-flavor runtime,
\`onnxruntime-web/webgpu\` aliased to the CPU build, whose only binary is \`ort-wasm-simd-threaded.wasm\`, run with
numThreads = 1).
`;
}

await main();
