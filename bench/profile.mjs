// Optional: a CPU profile of the gateway's hot path (not part of `pnpm bench`).
//   node bench/profile.mjs <workerd inspector port> <seconds>
// Attach to a workerd started with `node bench/workerd-server.mjs … --inspector=PORT` while load runs;
// prints the top self-time functions and writes bench/.state/gateway.cpuprofile.
import fs from "node:fs";
import path from "node:path";
import { WebSocket } from "undici";

const [port, seconds = "5"] = process.argv.slice(2);
const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
const target = list.find((t) => t.id?.includes("edgeserve-gateway")) ?? list[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)));
let id = 0;
const pending = new Map();
ws.onmessage = (e) => {
  const msg = JSON.parse(e.data);
  if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
};
const call = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 100 });
await call("Profiler.start");
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const { result } = await call("Profiler.stop");
const profile = result.profile;
fs.mkdirSync(path.join(import.meta.dirname, ".state"), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, ".state", "gateway.cpuprofile"), JSON.stringify(profile));
const dt = profile.timeDeltas.reduce((s, x) => s + x, 0) / 1000;
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (const [nid, c] of counts) {
  const n = byId.get(nid);
  const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  self.set(key, (self.get(key) ?? 0) + c);
}
const total = profile.samples.length;
console.log(`profile ${dt.toFixed(0)} ms, ${total} samples`);
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);
ws.close();
process.exit(0);
