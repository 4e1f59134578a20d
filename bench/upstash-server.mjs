// The local Upstash stand-in for the bench, in its own process: redis-server behind the Upstash REST
// bridge (infra/upstash-bridge). It must not share the bench's event loop: run.mjs waits synchronously
// on its load helpers, and a bridge inside it would stall every rate-limit check meanwhile.
//   node bench/upstash-server.mjs   → prints `READY <url> <token> <redis port>`; SIGTERM stops both.
import { startLocalUpstash } from "../infra/upstash-bridge/index.mjs";

const upstash = await startLocalUpstash();
process.stdout.write(`READY ${upstash.url} ${upstash.token} ${upstash.redisPort}\n`);
const stop = async () => {
  await upstash.stop().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
