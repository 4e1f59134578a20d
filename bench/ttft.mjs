// Streaming time-to-first-token, in a process of its own: `total` streamed chat requests with
// `connections` in flight (undici, keep-alive). TTFT is the time from sending the request to the
// arrival of the first SSE event whose choices[0].delta.content is non-empty; the mock writes that
// event at once, and the rest of the stream later, so buffering anywhere in between shows here.
//
// With `timingsUrl` (the mock's GET /timings) at 1 connection, each measured request is matched, in
// order, with the mock's note of when it arrived there and when its first token left, which splits
// TTFT into three legs: client → upstream (everything the path in between does before it calls the
// upstream), the upstream's own time, and upstream → client (everything after).
//
//   node bench/ttft.mjs '<json: {url, headers, body, connections, total, warmup, timingsUrl?}>'
// prints one JSON line: { requests, failures, ttftMs: {mean,p50,p90,p99,max}, totalMs: {p50,p99}, legsMs? }
import { Agent, request } from "undici";

const o = JSON.parse(process.argv[2]);
const agent = new Agent({ connections: o.connections, keepAliveTimeout: 30_000, pipelining: 1 });

async function one() {
  const t0 = process.hrtime.bigint();
  let tokenAt = null;
  const res = await request(o.url, { method: "POST", headers: o.headers, body: o.body, dispatcher: agent });
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  }
  let ttft = null;
  let buf = "";
  for await (const chunk of res.body) {
    if (ttft !== null) continue;
    buf += chunk.toString("utf8");
    let end;
    while (ttft === null && (end = buf.indexOf("\n\n")) !== -1) {
      const event = buf.slice(0, end);
      buf = buf.slice(end + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") continue;
        try {
          const content = JSON.parse(data).choices?.[0]?.delta?.content;
          if (typeof content === "string" && content.length > 0) {
            tokenAt = process.hrtime.bigint();
            ttft = Number(tokenAt - t0) / 1e6;
          }
        } catch {}
      }
    }
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  if (ttft === null) throw new Error("stream ended without a content delta");
  return { ttft, total, t0, tokenAt };
}

async function batch(total) {
  const results = [];
  let failures = 0;
  let firstError = null;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      try {
        results.push(await one());
      } catch (e) {
        failures++;
        firstError ??= String(e.message ?? e);
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  return { results, failures, firstError };
}

const pct = (s, p) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : null);
const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);

const legsWanted = Boolean(o.timingsUrl) && o.connections === 1;
const mockTimings = async () => (await fetch(o.timingsUrl)).json();

if (o.warmup) await batch(o.warmup);
if (legsWanted) await mockTimings(); // forget the warm-up's
const { results, failures, firstError } = await batch(o.total);

/** The three legs of each request's TTFT, or why they could not be matched. */
async function legs() {
  const timings = await mockTimings();
  if (failures > 0 || timings.length !== results.length)
    return { unmatched: `${results.length} answered requests, ${timings.length} noted by the mock` };
  const ms = (ns) => Number(ns) / 1e6;
  const rows = results.map((r, i) => {
    const [arrived, firstToken] = timings[i].map(BigInt);
    return { toUpstream: ms(arrived - r.t0), upstream: ms(firstToken - arrived), back: ms(r.tokenAt - firstToken) };
  });
  const stat = (k) => {
    const s = rows.map((r) => r[k]).sort((a, b) => a - b);
    return { p50: r3(pct(s, 50)), p90: r3(pct(s, 90)) };
  };
  return { toUpstream: stat("toUpstream"), upstream: stat("upstream"), back: stat("back") };
}
const ttft = results.map((r) => r.ttft).sort((a, b) => a - b);
const tot = results.map((r) => r.total).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    requests: results.length,
    failures,
    firstError,
    ttftMs: {
      mean: r3(ttft.reduce((s, x) => s + x, 0) / (ttft.length || 1)),
      p50: r3(pct(ttft, 50)),
      p90: r3(pct(ttft, 90)),
      p99: r3(pct(ttft, 99)),
      max: r3(ttft.at(-1) ?? null),
    },
    totalMs: { p50: r3(pct(tot, 50)), p99: r3(pct(tot, 99)) },
    ...(legsWanted ? { legsMs: await legs() } : {}),
  })}\n`,
);
await agent.close();
