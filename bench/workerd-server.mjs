// The gateway as production runs it, as near as this machine allows: the bundle that
// `wrangler deploy --dry-run` would upload (minification and all, no dev middleware), loaded by
// workerd through Miniflare's API, with the bindings of wrangler.toml (local D1/KV/R2/Queues in a
// state directory). Unlike `wrangler dev` there is no ProxyWorker in front (the second workerd that
// buffers requests across reloads), no inspector attached, no bundler watching files and no
// console.log round-trip through the DevTools protocol into wrangler's terminal.
// Miniflare's own layers are taken out of the request path too: requests arrive on a socket bound
// straight to the gateway (`unsafeDirectSockets`), not through Miniflare's entry worker (a second
// isolate that routes each request and adds `cf`), and outbound fetches go straight to the network,
// not through the worker Miniflare puts there to strip `CF-Connecting-IP` (a third isolate per
// subrequest). Measured on a 10-line proxy worker, each layer halved throughput at 32 connections.
// What remains that production does not have: local D1 (SQLite in a Durable Object on this disk, not
// a remote replica), Queues and R2 simulated by Miniflare's Durable Objects in the same process.
// With --relay-queues the usage and payload-log queues, their consumers and the D1 and R2 those write
// to move to a second process started with --role=pipeline, as in production (bench/queue-relay.mjs).
//
//   node bench/workerd-server.mjs --bundle=DIR/index.js --port=N --state=DIR --secrets=FILE.json [--vars=JSON]
//        [--relay-queues=http://127.0.0.1:M | --role=pipeline] [--inspector=PORT]
// prints `READY http://127.0.0.1:N workerd=<pid,...>` once GET /health answers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { gatewayWorker, miniflareOptions } from "../infra/production-workerd.mjs";
import { RELAYED_QUEUES, ingressWorker, relayWorker } from "./queue-relay.mjs";
import { serviceBindingStubs } from "./service-stubs.mjs";
import { childPids } from "./workerd-children.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split(/=(.*)/s).slice(0, 2)));
const state = path.resolve(args.state);
const secrets = JSON.parse(fs.readFileSync(args.secrets, "utf8"));
const vars = args.vars ? JSON.parse(args.vars) : {};

// The gateway's worker options as `pnpm serve` builds them (infra/production-workerd.mjs), on this bundle.
// Without the console's static assets: under Miniflare they put an assets router and proxy isolates on the same
// thread in front of every request (with run_worker_first too), where Cloudflare routes outside the Worker's
// isolate and bills it no CPU; the bench queries only API routes, which never read an asset.
const { assets: _assets, ...gateway } = await gatewayWorker({
  bundleDir: path.dirname(path.resolve(args.bundle)),
  vars,
  secrets,
});
const { unsafeDirectSockets: _, ...unbound } = gateway;
// The bench queries an external-model endpoint only; the inference worker (INFERENCE service binding,
// workers/inference) is not part of the measured path, so a stub that answers 503 stands in for it.
const stubs = serviceBindingStubs(gateway);
const without = (record, keys) => Object.fromEntries(Object.entries(record ?? {}).filter(([k]) => !keys.includes(k)));
const socket = [{ host: "127.0.0.1", port: Number(args.port) }];
let layout;
if (args.role === "pipeline") {
  // It stands in for Cloudflare's Queues, D1 and R2 and for consumer invocations that production runs on
  // other machines, so on this one it takes only the CPU that the gateway, the mock and the load generator
  // leave (workerd inherits the priority): it falls behind under load and drains after each run, as a
  // queue does; the bench checks that every usage record still lands.
  os.setPriority(19);
  // Consumers of the relayed queues (same bundle), behind an ingress that owns the socket.
  layout = [unbound, { ...ingressWorker(gateway.name), unsafeDirectSockets: socket }];
} else if (args["relay-queues"]) {
  const relay = relayWorker(args["relay-queues"]);
  const relayed = Object.keys(RELAYED_QUEUES);
  layout = [
    {
      ...gateway,
      queueProducers: without(gateway.queueProducers, relayed),
      queueConsumers: without(gateway.queueConsumers, Object.values(RELAYED_QUEUES)),
      serviceBindings: { ...gateway.serviceBindings, ...relay.serviceBindings },
      unsafeDirectSockets: socket,
    },
    relay.worker,
  ];
} else {
  layout = [{ ...gateway, unsafeDirectSockets: socket }];
}
const mf = new Miniflare(
  await miniflareOptions({
    stateDir: state,
    // Workers Logs would collect console.log in production; here the runtime's output is dropped.
    log: !!process.env.BENCH_VERBOSE,
    ...(args.inspector ? { inspectorPort: Number(args.inspector) } : {}),
    workers: [...layout, ...stubs],
  }),
);
await mf.ready;
const url = `http://127.0.0.1:${Number(args.port)}`;
// workerd is a child of this process; the bench reads its CPU time from /proc.
const kids = childPids();
for (;;) {
  try {
    const res = await fetch(new URL("/health", url));
    if (res.ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(`READY http://127.0.0.1:${new URL(url).port} workerd=${kids.join(",")}\n`);
const stop = async () => {
  await mf.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
