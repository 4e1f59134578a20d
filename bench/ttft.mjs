// Streaming time-to-first-token, in a process of its own: `total` streamed chat requests with
// `connections` in flight (undici, keep-alive). TTFT is the time from sending the request to the
// arrival of the first SSE event whose choices[0].delta.content is non-empty; the mock writes that
// event at once, and the rest of the stream later, so buffering anywhere in between shows here.
//
//   node bench/ttft.mjs '<json: {url, headers, body, connections, total, warmup}>'
// prints one JSON line: { requests, failures, ttftMs: {mean,p50,p90,p99,max}, totalMs: {p50,p99} }
import { Agent, request } from "undici";

const o = JSON.parse(process.argv[2]);
const agent = new Agent({ connections: o.connections, keepAliveTimeout: 30_000, pipelining: 1 });

async function one() {
  const t0 = process.hrtime.bigint();
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
          if (typeof content === "string" && content.length > 0) ttft = Number(process.hrtime.bigint() - t0) / 1e6;
        } catch {}
      }
    }
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  if (ttft === null) throw new Error("stream ended without a content delta");
  return { ttft, total };
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

if (o.warmup) await batch(o.warmup);
const { results, failures, firstError } = await batch(o.total);
const ttft = results.map((r) => r.ttft).sort((a, b) => a - b);
const tot = results.map((r) => r.total).sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    requests: results.length,
    failures,
    firstError,
    ttftMs: { mean: r3(ttft.reduce((s, x) => s + x, 0) / (ttft.length || 1)), p50: r3(pct(ttft, 50)), p90: r3(pct(ttft, 90)), p99: r3(pct(ttft, 99)), max: r3(ttft.at(-1) ?? null) },
    totalMs: { p50: r3(pct(tot, 50)), p99: r3(pct(tot, 99)) },
  }) + "\n",
);
await agent.close();
