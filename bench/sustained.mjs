#!/usr/bin/env node
// Sustained load on the production-bundle gateway (`pnpm serve`'s stack, infra/serve.mjs), to see whether its
// memory stays flat: a steady, mixed load for `--seconds` (default 10 minutes) at `--rps` queries per second
// (default 8) — a custom ONNX model (in-worker inference over RPC), external-model chat completions and
// chat streams through a mock OpenAI-compatible upstream, usage tracking and payload logging on everywhere.
// Every `--sample-every` seconds (default 60) it reads the workerd process's RSS and, through workerd's V8
// inspector, each isolate's JS heap in use, then a heap snapshot (V8 runs full GCs first) and the heap in use
// after it (bench/inspector-heaps.mjs): growth of the heap after GC from minute 1 to the end is memory kept,
// not garbage. The snapshots at minute 1 and at the end are compared by constructor to show what grew.
// Writes bench/SUSTAINED.md and bench/sustained.json. A run with `--label=NAME` is a control run (short, or
// with the logging pipeline off, or another allocator setting): it is kept in sustained.json's `controls`
// beside the recorded 10-minute run, which it leaves in place.
//
//   pnpm bench:sustained [--seconds=600] [--rps=8] [--sample-every=60] [--logging=off] [--label=NAME]
//   pnpm bench:sustained --render        (SUSTAINED.md again from sustained.json, no run)
// --logging=off turns usage tracking and payload logging off on both endpoints (the rate limit stays), so no
// queue, consumer, D1 write or R2 write runs per query: what the logging pipeline's simulators hold shows as
// the difference. MALLOC_ARENA_MAX in the environment reaches workerd (Miniflare passes its environment on).
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { freePort } from "../infra/local-stack.mjs";
import { AI_GATEWAY, ENDPOINT, MESSAGES, provision, UPSTREAM_TOKEN } from "./overhead/bench-endpoint.mjs";
import { cpuSeconds } from "./overhead/proc-cpu.mjs";
import { openHeapSessions, snapshotGrowth } from "./inspector-heaps.mjs";
import { startGatewayWithMlp } from "./production-gateway.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, value = "true"] = a.replace(/^--/, "").split("=");
    return [key, value];
  }),
);
const DURATION_S = Number(args.seconds ?? args.duration ?? 600);
const RPS = Number(args.rps ?? 8);
const SAMPLE_EVERY_S = Math.min(Number(args["sample-every"] ?? 60), DURATION_S);
/** The baseline sample: the first one from minute 1 (or the first of a run shorter than that). */
const BASELINE_S = Math.min(60, DURATION_S);
const LOGGING = args.logging !== "off";
const LABEL = args.label ?? null;
const repoRoot = path.resolve(import.meta.dirname, "..");
const JSON_PATH = path.join(repoRoot, "bench/sustained.json");
const GATEWAY = "edgeserve-gateway";
const INFERENCE = "edgeserve-inference";

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

/** Resident memory of a process, MiB (/proc/<pid>/status): all of it, and its anonymous and file-backed parts. */
function rss(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => {
    const kb = Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  };
  return {
    rss_mib: field("VmRSS"),
    anon_mib: field("RssAnon"),
    file_mib: field("RssFile"),
    shmem_mib: field("RssShmem"),
  };
}

/** Bytes on disk under a directory (the local D1/R2/KV/Queues state), MiB. */
function dirMiB(dir) {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return Math.round((bytes / 1048576) * 10) / 10;
}

/** --logging=off: usage tracking and payload logging off on both endpoints (the chat's rate limit stays). */
async function loggingOff(stack) {
  for (const [name, gateway] of [
    ["mlp", {}],
    [ENDPOINT, AI_GATEWAY.rate_limits ? { rate_limits: AI_GATEWAY.rate_limits } : {}],
  ]) {
    const res = await fetch(`${stack.url}/api/2.0/serving-endpoints/${name}/ai-gateway`, {
      method: "PUT",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(gateway),
    });
    if (!res.ok) throw new Error(`PUT ai-gateway of ${name}: ${res.status} ${await res.text()}`);
  }
}

async function main() {
  const upstream = await mockUpstream(UPSTREAM_TOKEN);
  const inspectorPort = await freePort();
  console.log(`Starting the production-bundle stack (pnpm serve's) and publishing the MLP...`);
  const stack = await startGatewayWithMlp({ inspectorPort });
  const [pid] = stack.workerdPids;
  /** Queries sent and not yet answered: a number that grows means the stack cannot keep up with the rate. */
  const inFlight = new Set();
  const heaps = await openHeapSessions(inspectorPort, { summarize: [GATEWAY, INFERENCE] });
  console.log(`Inspector targets: ${heaps.targets.join(", ")}`);
  const samples = [];
  /** Heap snapshot summaries by worker, of the baseline sample and of the latest one. */
  const snapshots = { baseline: null, latest: null };
  const counts = MIX.map(() => ({ ok: 0, failed: 0, latencies: [], errors: {} }));
  const fail = (k, why) => {
    counts[k].failed++;
    counts[k].errors[why] = (counts[k].errors[why] ?? 0) + 1;
  };
  try {
    // The chat endpoint as `pnpm bench` makes it (bench/overhead/bench-endpoint.mjs): the mock upstream, usage,
    // payload logging and a rate limit that never triggers, queried by a non-admin service principal.
    const chat = await provision(stack.url, stack.adminToken, upstream.url);
    if (!LOGGING) await loggingOff(stack);
    const kinds = queries(stack, chat.token);
    const sample = async (second) => {
      const s = { second, in_flight: inFlight.size, ...rss(pid) };
      const read = await heaps.read(); // a heap snapshot of each isolate, full GCs first
      s.heap_mib = read.heaps;
      snapshots.latest = { second, ...read.snapshots };
      if (!snapshots.baseline && second >= BASELINE_S) snapshots.baseline = snapshots.latest;
      s.rss_after_snapshots_mib = rss(pid).rss_mib;
      s.state_mib = dirMiB(stack.stateDir);
      s.cpu_s = cpuSeconds([pid]);
      samples.push(s);
      const after = [GATEWAY, INFERENCE].map((name) => `${name} ${heapCell(s, name)}`);
      console.log(
        `${second}s: RSS ${s.rss_mib} MiB (${s.rss_after_snapshots_mib} after the snapshots), ` +
          `heap → after GC (MiB): ${after.join(", ")}, Miniflare's other isolates after GC ${others(s)}`,
      );
    };
    await sample(0);
    console.log(`Sustained mixed load: ${RPS} queries/s for ${DURATION_S} s, logging ${LOGGING ? "on" : "off"}.`);
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
    const { baseline, latest } = snapshots;
    result.snapshot_growth = Object.fromEntries(
      [GATEWAY, INFERENCE]
        .filter((name) => baseline?.[name] && latest[name] && latest !== baseline)
        .map((name) => [
          name,
          { from_second: baseline.second, to_second: latest.second, ...snapshotGrowth(baseline[name], latest[name]) },
        ]),
    );
    const recorded = readRecorded();
    const record = LABEL
      ? { ...recorded, controls: [...(recorded.controls ?? []), { label: LABEL, ...result }].slice(-8) }
      : { ...result, controls: recorded.controls ?? [] };
    fs.writeFileSync(JSON_PATH, `${JSON.stringify(record, null, 2)}\n`);
    if (record.growth_after_1_minute) fs.writeFileSync(path.join(repoRoot, "bench/SUSTAINED.md"), report(record));
    console.log(LABEL ? JSON.stringify(controlRow({ label: LABEL, ...result })) : report(record));
  } finally {
    heaps.close();
    await stack.stop();
    upstream.stop();
  }
}

function readRecorded() {
  try {
    return JSON.parse(fs.readFileSync(JSON_PATH, "utf8"));
  } catch {
    return {};
  }
}

/** A worker's heap in use → after GC, MiB. */
const heapCell = (s, name) => {
  const h = s.heap_mib[name];
  return h ? `${h.used_mib ?? "–"} → ${h.after_gc_mib ?? "–"}` : "–";
};
/** The heaps after GC of Miniflare's own isolates (simulators, assets router, entry), summed, MiB. */
const others = (s) =>
  Math.round(
    Object.entries(s.heap_mib)
      .filter(([name]) => name !== GATEWAY && name !== INFERENCE)
      .reduce((n, [, h]) => n + (h.after_gc_mib ?? 0), 0) * 100,
  ) / 100;
const signed = (x) => `${x >= 0 ? "+" : ""}${Math.round(x * 10) / 10}`;
const gc = (s, name) => s.heap_mib[name]?.after_gc_mib ?? null;

function summary(samples, counts, sent, seconds) {
  const q = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100;
  };
  const atMinute = samples.find((s) => s.second >= BASELINE_S) ?? samples.at(-1);
  const end = samples.at(-1);
  const ok = counts.reduce((n, c) => n + c.ok, 0);
  const [load1, load5, load15] = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`,
    load_average_at_end: { "1m": load1, "5m": load5, "15m": load15 },
    logging: LOGGING,
    malloc_arena_max: process.env.MALLOC_ARENA_MAX ?? null,
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
    after_1_minute_second: atMinute.second,
    growth_after_1_minute: {
      rss_mib: Math.round((end.rss_mib - atMinute.rss_mib) * 10) / 10,
      rss_anon_mib: Math.round((end.anon_mib - atMinute.anon_mib) * 10) / 10,
      state_on_disk_mib: Math.round((end.state_mib - atMinute.state_mib) * 10) / 10,
      gateway_heap_after_gc_mib: Math.round((gc(end, GATEWAY) - gc(atMinute, GATEWAY)) * 100) / 100,
      inference_heap_after_gc_mib: Math.round((gc(end, INFERENCE) - gc(atMinute, INFERENCE)) * 100) / 100,
    },
  };
}

/** A control run's figures, from minute 1 to the end (or its first sample to the end when shorter). */
function controlRow(c) {
  const first = c.samples.find((s) => s.second === c.after_1_minute_second);
  const end = c.samples.at(-1);
  return {
    label: c.label,
    date: c.date,
    seconds: c.duration_s,
    rps: c.achieved_rps,
    logging: c.logging ? "on" : "off",
    malloc_arena_max: c.malloc_arena_max ?? "default",
    load: c.load_average_at_end["5m"],
    from_second: first.second,
    rss: `${first.rss_mib} → ${end.rss_mib}`,
    anon: `${first.anon_mib} → ${end.anon_mib}`,
    state: `${first.state_mib} → ${end.state_mib}`,
    gateway: `${gc(first, GATEWAY) ?? "–"} → ${gc(end, GATEWAY) ?? "–"}`,
    inference: `${gc(first, INFERENCE) ?? "–"} → ${gc(end, INFERENCE) ?? "–"}`,
  };
}

/** A markdown table row. */
const row = (cells) => `| ${cells.join(" | ")} |`;
const SAMPLE_COLUMNS = [
  "second",
  "queries in flight",
  "RSS / after snapshots MiB",
  "anon / file MiB",
  "state on disk MiB",
  "gateway heap → after GC MiB",
  "inference heap → after GC MiB",
  "Miniflare's other isolates, after GC MiB",
];
const CONTROL_COLUMNS = [
  "run",
  "date",
  "s",
  "q/s",
  "logging",
  "MALLOC_ARENA_MAX",
  "load 5m",
  "RSS",
  "RSS anon",
  "state on disk",
  "gateway heap",
  "inference heap",
];

/**
 * Whether each worker's heap after GC is flat from minute 1 to the end: grown by no more than 0.5 MiB and
 * 10 % (a live heap moves by a few hundred KiB with what is in flight when the snapshot is taken).
 */
function verdict(first, end) {
  return [GATEWAY, INFERENCE]
    .map((name) => {
      const [a, b] = [gc(first, name), gc(end, name)];
      if (a === null || b === null) return `${name}: not read`;
      const flat = b - a <= Math.max(0.5, a * 0.1);
      return `${name}'s heap after GC is ${flat ? "flat" : "growing"} (${a} → ${b} MiB)`;
    })
    .join("; ");
}

function report(r) {
  const mix = r.mix
    .map((m) => `| ${m.kind} | ${Math.round(m.share * 100)} % | ${m.ok} | ${m.failed} | ${m.p50_ms} | ${m.p99_ms} |`)
    .join("\n");
  const samples = r.samples
    .map((s) =>
      [
        s.second,
        s.in_flight,
        `${s.rss_mib} / ${s.rss_after_snapshots_mib}`,
        `${s.anon_mib} / ${s.file_mib}`,
        s.state_mib,
        heapCell(s, GATEWAY),
        heapCell(s, INFERENCE),
        others(s),
      ].join(" | "),
    )
    .map((row) => `| ${row} |`)
    .join("\n");
  const g = r.growth_after_1_minute;
  const first = r.samples.find((s) => s.second === r.after_1_minute_second);
  const end = r.samples.at(-1);
  const failures = r.failed
    ? `Failures: ${r.mix.map((m) => `${m.kind}: ${JSON.stringify(m.errors)}`).join("; ")}.\n\n`
    : "";
  const snapshotSection = Object.entries(r.snapshot_growth ?? {})
    .map(
      ([name, growth]) => `
${name}: heap snapshots at second ${growth.from_second} and ${growth.to_second} (self size of all nodes
${growth.total_mib_before} → ${growth.total_mib_after} MiB); the groups that grew, most first, by constructor
(self sizes):

| group | count | self KiB |
|---|---|---|
${growth.top
  .filter((t) => t.growth_bytes > 0)
  .map((t) => `| ${t.group} | ${t.count_before} → ${t.count_after} | ${t.self_kib_before} → ${t.self_kib_after} |`)
  .join("\n")}
`,
    )
    .join("");
  const controls = (r.controls ?? []).map(controlRow);
  const controlSection = controls.length
    ? `
Control runs (\`--label\`; heaps after GC, RSS before the snapshots, from the first sample at minute 1, or the
run's first sample, to the end; MiB):

${row(CONTROL_COLUMNS)}
${row(CONTROL_COLUMNS.map(() => "---"))}
${controls
  .map((c) =>
    [
      c.label,
      c.date,
      c.seconds,
      c.rps,
      c.logging,
      c.malloc_arena_max,
      c.load,
      c.rss,
      c.anon,
      c.state,
      c.gateway,
      c.inference,
    ].join(" | "),
  )
  .map((row) => `| ${row} |`)
  .join("\n")}
`
    : "";
  const load = r.load_average_at_end;
  return `# Sustained load on the production gateway (\`pnpm bench:sustained\`)

${r.date}; ${r.machine}; load average at the end ${load["1m"]} / ${load["5m"]} / ${load["15m"]}
(1/5/15 min; other jobs share the host). \`pnpm serve\`'s stack (both production bundles on one workerd, local
D1/R2/KV/Queues), ${r.target_rps} queries/s for ${r.duration_s} s, open loop (achieved ${r.achieved_rps}/s),
${r.queries} queries, ${r.failed} failed. Usage tracking and payload logging ${r.logging ? "on" : "off"} for both
endpoints; chat: \`pnpm bench\`'s endpoint (bench/mock-upstream.mjs behind it, a rate limit that never triggers and
is not enforced without Upstash), queried by a non-admin service principal.

| query | share | ok | failed | p50 ms | p99 ms |
|---|---|---|---|---|---|
${mix}

${failures}Memory. RSS: the whole workerd process — both workers *and* Miniflare's local D1/R2/KV/Queues simulators
(Durable Objects with SQLite, in the same process); read before the heap snapshots and after them (after the full
GCs, which give V8 pages back, but with what the snapshots themselves allocated: workerd's allocator, tcmalloc
linked into the binary, keeps freed memory), and split into anonymous (V8 heaps, tcmalloc) and file-backed pages
(the workerd binary), before the snapshots. State on disk: the local D1/R2/KV/Queues files. Heaps: each
worker's V8 heap in use, read through workerd's inspector, then right after a heap snapshot, which V8 takes after
full GCs (workerd's inspector does not serve \`HeapProfiler.collectGarbage\`): the heap after GC is what is still
referenced. Miniflare's other isolates: the simulators
(D1, Queues, R2, KV, cache), the static-assets router and proxies in front of the gateway, the entry worker, each an
isolate of its own, their heaps after GC summed (SQLite's own memory is outside V8).

${row(SAMPLE_COLUMNS)}
${row(SAMPLE_COLUMNS.map(() => "---"))}
${samples}

From second ${first.second} to the end (after GC): gateway heap ${gc(first, GATEWAY)} → ${gc(end, GATEWAY)} MiB
(${signed(g.gateway_heap_after_gc_mib)}), inference heap ${gc(first, INFERENCE)} → ${gc(end, INFERENCE)} MiB
(${signed(g.inference_heap_after_gc_mib)}), workerd RSS ${first.rss_mib} → ${end.rss_mib} MiB
(${signed(g.rss_mib)}; anonymous ${signed(g.rss_anon_mib)}; after the snapshots ${first.rss_after_snapshots_mib} →
${end.rss_after_snapshots_mib} MiB), state on disk ${signed(g.state_on_disk_mib)} MiB.
workerd CPU over the run: ${r.cpu_ms_per_query} ms per query (an upper bound of what Workers bills: it includes the
local D1/R2/Queues simulators).

**Verdict: ${verdict(first, end)}**

Reading the RSS: workerd links tcmalloc into its binary (no glibc malloc, so \`MALLOC_ARENA_MAX\` and
\`malloc_trim\` do not apply) and tcmalloc keeps pages it has freed for reuse; V8 grows each isolate's heap
limit with its garbage and gives pages back after a full GC. Without the minute's forced GCs (the heap before
GC above: garbage awaiting a collection), RSS climbs while garbage accumulates in the gateway and the simulators'
isolates, which is what an earlier reading of this bench (before the GCs) showed as growth. What is not the
gateway's in this process: the inference worker (its heap, and its WASM memory: ~100 MiB in its heap snapshot), the
simulators' isolates (last column) and SQLite's page caches for the local D1 and the Durable Objects behind
Queues and R2, which grow with the rows written (state on disk) — on Cloudflare those run elsewhere.
${snapshotSection}${controlSection}`;
}

if (args.render === "true") {
  // --render: SUSTAINED.md again from sustained.json (after a change to this report), without a run.
  fs.writeFileSync(path.join(repoRoot, "bench/SUSTAINED.md"), report(readRecorded()));
} else {
  await main();
}
process.exit(0);
