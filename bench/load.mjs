// One load run with autocannon, in a process of its own (the bench orchestrator spawns it).
// autocannon's own histogram has 1 ms resolution (integer HDR buckets), too coarse for sub-ms
// overhead, so every 2xx response time (autocannon measures it with process.hrtime) is also kept
// here and the percentiles are computed exactly from those samples.
//
//   node bench/load.mjs '<json: {url, method, headers, body, connections, duration | amount, warmup}>'
// prints one JSON line:
//   { requests, warmupResponses, durationS, rps, non2xx, errors, latencyMs: {mean,p50,p90,p99,max},
//     autocannon: {...} }
import autocannon from "autocannon";

const o = JSON.parse(process.argv[2]);

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function run({ duration, amount }) {
  const samples = [];
  let non2xx = 0;
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: o.url,
    method: o.method ?? "POST",
    headers: o.headers ?? {},
    body: o.body,
    connections: o.connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration }),
    timeout: 10,
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    else non2xx++;
  });
  const result = await new Promise((resolve, reject) => instance.once("done", resolve).once("error", reject));
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  return { samples, non2xx, result, elapsedS };
}

const warmup = o.warmup ? await run({ duration: o.warmup }) : null;
const { samples, non2xx, result, elapsedS } = await run({ duration: o.duration, amount: o.amount });
samples.sort((a, b) => a - b);
const sum = samples.reduce((s, x) => s + x, 0);
const round = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
process.stdout.write(
  `${JSON.stringify({
    requests: samples.length,
    // Every response of the warm-up: a CPU figure sampled around the whole helper divides by these too.
    warmupResponses: warmup ? warmup.samples.length + warmup.non2xx : 0,
    durationS: round(elapsedS),
    rps: round(samples.length / elapsedS),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      mean: round(samples.length ? sum / samples.length : null),
      p50: round(percentile(samples, 50)),
      p90: round(percentile(samples, 90)),
      p99: round(percentile(samples, 99)),
      max: round(samples[samples.length - 1] ?? null),
    },
    autocannon: {
      requestsAverage: result.requests.average,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      statusCodeStats: result.statusCodeStats,
    },
  })}\n`,
);
