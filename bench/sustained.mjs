#!/usr/bin/env node
// Sustained load on the production-bundle gateway (`pnpm serve`'s stack, infra/serve.mjs), to see whether its
// memory stays flat: a steady, mixed load for `--duration` (default 10 minutes) at `--rps` queries per second
// (default 20) — a custom ONNX model (in-worker inference over RPC), external-model chat completions and
// chat streams through a mock OpenAI-compatible upstream, usage tracking and payload logging on everywhere.
// Every minute it samples the workerd process's RSS and, through workerd's V8 inspector, each isolate's
// JS heap in use (gateway, inference worker); flat from minute 1 to the end means no leak.
// Writes bench/SUSTAINED.md and bench/sustained.json.
//
//   pnpm bench:sustained [--duration=600] [--rps=20]   (duration in seconds)
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { freePort } from "../infra/local-stack.mjs";
import { cpuSeconds } from "./overhead/proc-cpu.mjs";
import { ENDPOINT, MESSAGES, provision, UPSTREAM_TOKEN } from "./overhead/bench-endpoint.mjs";
import { startGatewayWithMlp } from "./production-gateway.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const DURATION_S = Number(args.duration ?? 600);
const RPS = Number(args.rps ?? 20);
const SAMPLE_EVERY_S = Math.min(60, DURATION_S);
const repoRoot = path.resolve(import.meta.dirname, "..");
const WebSocket = createRequire(createRequire(import.meta.url).resolve("miniflare"))("ws");

/** The mix: share of queries per kind (sums to 1). */
const MIX = [
  { kind: "custom ONNX model (MLP, 32 rows)", share: 0.5 },
  { kind: "external model, chat completion", share: 0.35 },
  { kind: "external model, chat stream", share: 0.15 },
];

function mockUpstream(token) {
  const child = spawn(process.execPath, [path.join(repoRoot, "bench/mock-upstream.mjs"), `--token=${token}`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return once(child.stdout, "data").then(([line]) => ({
    url: /READY (\S+)/.exec(String(line))[1],
    stop: () => child.kill(),
  }));
}

const rows = (i) => Array.from({ length: 32 }, (_, r) => Array.from({ length: 64 }, (_, c) => Math.sin(i + r * 7 + c)));

function queries(stack, chatToken) {
  const post = (endpoint, body, token = stack.adminToken) =>
    fetch(`${stack.url}/serving-endpoints/${endpoint}/invocations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return [
    async (i) => {
      const res = await post("mlp", { inputs: rows(i) });
      const body = await res.json();
      return res.ok && Array.isArray(body.predictions) && body.predictions.length === 32 ? res.status : -res.status;
    },
    async () => {
      const res = await post(ENDPOINT, { messages: MESSAGES, max_tokens: 16 }, chatToken);
      const body = await res.json();
      return res.ok && body.choices?.length === 1 ? res.status : -res.status;
    },
    async () => {
      const res = await post(ENDPOINT, { messages: MESSAGES, max_tokens: 16, stream: true }, chatToken);
      const text = await res.text();
      return res.ok && text.includes("data: [DONE]") ? res.status : -res.status;
    },
  ];
}

/** Resident memory of a process, MiB (/proc/<pid>/status VmRSS). */
function rssMiB(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round((Number(kb) / 1024) * 10) / 10;
}

/**
 * Each worker's JS heap in use, MiB, through workerd's inspector: one session per worker, opened once and kept
 * for the run (a session per sample went unanswered under load). A sample not answered within 30 s is null.
 */
async function heapReader(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  const sessions = [];
  for (const target of targets) {
    const name = /edgeserve-(gateway|inference)\b/.exec(`${target.id} ${target.title}`)?.[0];
    if (!name) continue;
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await once(ws, "open");
    const waiting = new Map();
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      waiting.get(msg.id)?.(msg.result);
      waiting.delete(msg.id);
    });
    sessions.push({ name, ws, waiting });
  }
  let id = 0;
  const usedMiB = ({ ws, waiting }) =>
    new Promise((resolve) => {
      const n = ++id;
      const timer = setTimeout(() => {
        waiting.delete(n);
        resolve(null);
      }, 30_000);
      waiting.set(n, (result) => {
        clearTimeout(timer);
        resolve(result ? Math.round((result.usedSize / 1048576) * 10) / 10 : null);
      });
      ws.send(JSON.stringify({ id: n, method: "Runtime.getHeapUsage" }));
    });
  return {
    read: async () => Object.fromEntries(await Promise.all(sessions.map(async (s) => [s.name, await usedMiB(s)]))),
    close: () => {
      for (const s of sessions) s.ws.close();
    },
  };
}

async function main() {
  const upstream = await mockUpstream(UPSTREAM_TOKEN);
  const inspectorPort = await freePort();
  console.log(`Starting the production-bundle stack (pnpm serve's) and publishing the MLP...`);
  const stack = await startGatewayWithMlp({ inspectorPort });
  const [pid] = stack.workerdPids;
  /** Queries sent and not yet answered: a number that grows means the stack cannot keep up with the rate. */
  const inFlight = new Set();
  const heaps = await heapReader(inspectorPort);
  const samples = [];
  const counts = MIX.map(() => ({ ok: 0, failed: 0, latencies: [], errors: {} }));
  const fail = (k, why) => {
    counts[k].failed++;
    counts[k].errors[why] = (counts[k].errors[why] ?? 0) + 1;
  };
  try {
    // The chat endpoint as `pnpm bench` makes it (bench/overhead/bench-endpoint.mjs): the mock upstream, usage,
    // payload logging and a rate limit that never triggers, queried by a non-admin service principal.
    const chat = await provision(stack.url, stack.adminToken, upstream.url);
    const kinds = queries(stack, chat.token);
    const sample = async (second) => {
      const s = { second, rss_mib: rssMiB(pid), in_flight: inFlight.size };
      s.heap_mib = await heaps.read();
      s.cpu_s = cpuSeconds([pid]);
      samples.push(s);
      console.log(`${second}s: RSS ${s.rss_mib} MiB, heaps ${JSON.stringify(s.heap_mib)} MiB`);
    };
    await sample(0);
    console.log(`Sustained mixed load: ${RPS} queries/s for ${DURATION_S} s.`);
    // Open loop at a steady rate: query i starts at i / RPS seconds, whatever the previous ones do.
    const start = performance.now();
    let i = 0;
    let nextSample = SAMPLE_EVERY_S;
    let sampling = null;
    const pick = (n) => {
      let x = ((n * 0.6180339887) % 1) * 0.9999;
      for (let k = 0; k < MIX.length; k++) {
        if (x < MIX[k].share) return k;
        x -= MIX[k].share;
      }
      return MIX.length - 1;
    };
    while ((performance.now() - start) / 1000 < DURATION_S) {
      const elapsed = (performance.now() - start) / 1000;
      while (i < elapsed * RPS) {
        const k = pick(i);
        const t = performance.now();
        const q = kinds[k](i)
          .then((status) => {
            if (status > 0) counts[k].ok++;
            else fail(k, `HTTP ${-status}`);
            counts[k].latencies.push(performance.now() - t);
          })
          .catch((e) => fail(k, String(e?.cause ?? e)))
          .finally(() => inFlight.delete(q));
        inFlight.add(q);
        i++;
      }
      if (elapsed >= nextSample && !sampling) {
        // In the background: the load keeps its pace while the inspector answers.
        sampling = sample(Math.round(elapsed)).finally(() => {
          sampling = null;
        });
        nextSample += SAMPLE_EVERY_S;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await sampling;
    await Promise.all(inFlight);
    const seconds = (performance.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 3000)); // the queues drain
    await sample(Math.round((performance.now() - start) / 1000));
    const result = summary(samples, counts, i, seconds);
    fs.writeFileSync(path.join(repoRoot, "bench/sustained.json"), `${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(path.join(repoRoot, "bench/SUSTAINED.md"), report(result));
    console.log(report(result));
  } finally {
    heaps.close();
    await stack.stop();
    upstream.stop();
  }
}

function summary(samples, counts, sent, seconds) {
  const q = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100;
  };
  const atMinute = samples.find((s) => s.second >= SAMPLE_EVERY_S) ?? samples.at(-1);
  const end = samples.at(-1);
  const ok = counts.reduce((n, c) => n + c.ok, 0);
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`,
    duration_s: Math.round(seconds),
    target_rps: RPS,
    achieved_rps: Math.round((sent / seconds) * 10) / 10,
    queries: sent,
    failed: counts.reduce((n, c) => n + c.failed, 0),
    mix: MIX.map((m, k) => ({
      ...m,
      ok: counts[k].ok,
      failed: counts[k].failed,
      errors: counts[k].errors,
      p50_ms: q(counts[k].latencies, 0.5),
      p99_ms: q(counts[k].latencies, 0.99),
    })),
    // workerd's CPU over the run (gateway, inference worker, queue consumers, local D1/R2/Queues simulators).
    cpu_ms_per_query: Math.round(((end.cpu_s - samples[0].cpu_s) * 1e6) / ok) / 1000,
    samples,
    after_1_minute: atMinute,
    at_end: end,
    rss_growth_mib: Math.round((end.rss_mib - atMinute.rss_mib) * 10) / 10,
    gateway_heap_growth_mib:
      Math.round(((end.heap_mib["edgeserve-gateway"] ?? 0) - (atMinute.heap_mib["edgeserve-gateway"] ?? 0)) * 10) / 10,
  };
}

function report(r) {
  const mix = r.mix
    .map((m) => `| ${m.kind} | ${Math.round(m.share * 100)} % | ${m.ok} | ${m.failed} | ${m.p50_ms} | ${m.p99_ms} |`)
    .join("\n");
  const samples = r.samples
    .map(
      (s) =>
        `| ${s.second} | ${s.in_flight} | ${s.rss_mib} | ${s.heap_mib["edgeserve-gateway"] ?? "–"} | ${s.heap_mib["edgeserve-inference"] ?? "–"} |`,
    )
    .join("\n");
  return `# Sustained load on the production gateway (\`pnpm bench:sustained\`)

${r.date}; ${r.machine}. \`pnpm serve\`'s stack (both production bundles on one workerd, local D1/R2/KV/Queues),
${r.target_rps} queries/s for ${r.duration_s} s, open loop (achieved ${r.achieved_rps}/s), ${r.queries} queries, ${r.failed} failed.
Usage tracking and payload logging on for both endpoints; chat: \`pnpm bench\`'s endpoint (bench/mock-upstream.mjs behind it,
a rate limit that never triggers and is not enforced without Upstash), queried by a non-admin service principal.

| query | share | ok | failed | p50 ms | p99 ms |
|---|---|---|---|---|---|
${mix}

${r.failed ? `Failures: ${r.mix.map((m) => `${m.kind}: ${JSON.stringify(m.errors)}`).join("; ")}.\n\n` : ""}Memory (RSS: the whole workerd process, both workers and Miniflare's local storage simulators; heap: each
worker's V8 heap in use, read through workerd's inspector, garbage not yet collected included):

| second | queries in flight | workerd RSS MiB | gateway heap MiB | inference heap MiB |
|---|---|---|---|---|
${samples}

After 1 minute → at the end: RSS ${r.after_1_minute.rss_mib} → ${r.at_end.rss_mib} MiB (${r.rss_growth_mib >= 0 ? "+" : ""}${r.rss_growth_mib} MiB), gateway heap ${r.after_1_minute.heap_mib["edgeserve-gateway"]} → ${r.at_end.heap_mib["edgeserve-gateway"]} MiB (${r.gateway_heap_growth_mib >= 0 ? "+" : ""}${r.gateway_heap_growth_mib} MiB).
workerd CPU over the run: ${r.cpu_ms_per_query} ms per query (an upper bound of what Workers bills: it includes the
local D1/R2/Queues simulators).
`;
}

await main();
process.exit(0);
