// A CPU profile of the gateway's hot path, taken by `pnpm bench` while load runs (BENCH_PROFILE=0 skips it).
//   node bench/profile.mjs <workerd inspector port> <seconds> [--json]
// Attaches V8's sampling profiler to a workerd started with `node bench/workerd-server.mjs … --inspector=PORT`;
// prints the top self-time functions (or one JSON line with --json) and writes bench/.state/gateway.cpuprofile.
import fs from "node:fs";
import path from "node:path";
import { openDevtoolsSession } from "./devtools-session.mjs";

const [port, seconds = "5"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const asJson = process.argv.includes("--json");
const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
const target = list.find((t) => t.id?.includes("edgeserve-gateway")) ?? list[0];
const { call, close } = await openDevtoolsSession(target.webSocketDebuggerUrl);
await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 100 });
await call("Profiler.start");
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const { profile } = await call("Profiler.stop");
fs.mkdirSync(path.join(import.meta.dirname, ".state"), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, ".state", "gateway.cpuprofile"), JSON.stringify(profile));
const dt = profile.timeDeltas.reduce((s, x) => s + x, 0) / 1000;
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (const [nid, c] of counts) {
  const n = byId.get(nid);
  const { functionName, url, lineNumber, columnNumber } = n.callFrame;
  const key = `${functionName || "(anon)"} ${url.split("/").pop()}:${lineNumber}:${columnNumber}`;
  self.set(key, (self.get(key) ?? 0) + c);
}
const total = profile.samples.length;
const pct = (c) => Math.round((1000 * c) / total) / 10;
const top = [...self]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 30)
  .map(([where, c]) => ({ pct: pct(c), where }));
// Inclusive ("total") time: a sample counts once for every distinct function on its stack, which
// is what attributes native work (crypto.subtle, fetch, JSON) to the code that asked for it.
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const inclusive = new Map();
for (const [nid, c] of counts) {
  const seen = new Set();
  for (let id = nid; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id);
    if (!n.callFrame.url) continue;
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    if (!seen.has(key)) seen.add(key);
  }
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + c);
}
const topInclusive = [...inclusive]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 40)
  .map(([where, c]) => ({ pct: pct(c), where }));
if (asJson) console.log(JSON.stringify({ durationMs: Math.round(dt), samples: total, top, topInclusive }));
else {
  console.log(`profile ${dt.toFixed(0)} ms, ${total} samples`);
  for (const t of top) console.log(`${t.pct.toFixed(1).padStart(5)}%  ${t.where}`);
  console.log("inclusive:");
  for (const t of topInclusive) console.log(`${t.pct.toFixed(1).padStart(5)}%  ${t.where}`);
}
close();
process.exit(0);
