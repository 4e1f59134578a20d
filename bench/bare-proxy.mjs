// The floor any Workers gateway stands on: a worker that does nothing but forward the request to the
// mock and stream its answer back (no auth, no config, no logging). Run on the same workerd with the
// same Miniflare settings and V8 flags as the gateway (bench/workerd-server.mjs), it tells how much of the gap to
// the mock is the runtime's own cost of one request plus one subrequest, and how much is ours.
//
//   node bench/bare-proxy.mjs --port=N --upstream=http://127.0.0.1:M
// prints `READY http://127.0.0.1:N workerd=<pid,...>` once it answers.
import { Log, LogLevel, Miniflare } from "miniflare";
import { workerdEnv } from "../infra/local-stack.mjs";
import { childPids } from "./workerd-children.mjs";

// The workerd binary and V8 flags the gateway runs with (`pnpm serve`, infra/production-workerd.mjs).
Object.assign(process.env, workerdEnv());
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split(/=(.*)/s).slice(0, 2)));
const script = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM + url.pathname.replace(/^\\/proxy/, ""), request);
  },
};`;
const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  log: new Log(LogLevel.WARN),
  modules: true,
  script,
  compatibilityDate: "2026-04-26",
  bindings: { UPSTREAM: args.upstream },
  unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(args.port) }],
  stripCfConnectingIp: false,
});
await mf.ready;
const kids = childPids();
process.stdout.write(`READY http://127.0.0.1:${Number(args.port)} workerd=${kids.join(",")}\n`);
const stop = async () => {
  await mf.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
