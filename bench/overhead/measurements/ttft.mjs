// Streaming time to first token through each target (bench/ttft.mjs, an undici client in a process of
// its own); at 1 connection also split into legs with the mock's own timings.
import { log } from "../log.mjs";
import { runHelper } from "../processes.mjs";
import { TTFT_CONNECTIONS, TTFT_TOTAL } from "../settings.mjs";

const PORTKEY_STREAMING_BUG =
  "Portkey 1.15.2 on Node 20 answers streamed requests with 500: its log shows `TypeError: immutable` " +
  "from Headers.append on the upstream fetch Response (a Portkey bug in its Node build); no Portkey TTFT figure.";

/** Writes `ttft[connections][target]`. */
export async function measureTtft(targets, settleAll, mockUrl, ttft) {
  const order = Object.keys(targets);
  for (const c of TTFT_CONNECTIONS) {
    ttft[c] = {};
    const total = c === 1 ? TTFT_TOTAL : Math.max(TTFT_TOTAL, c * 10);
    for (const k of order) {
      const t = targets[k];
      await settleAll();
      log(`ttft c=${c} ${t.label} (${total} streamed requests)`);
      const r = runHelper("ttft.mjs", {
        url: t.url,
        headers: t.headers,
        body: t.streamBody,
        connections: c,
        total,
        warmup: Math.min(50, total),
        timingsUrl: `${mockUrl}/timings`,
      });
      ttft[c][k] = r;
      if (k === "portkey" && r.failures && /Something went wrong/.test(r.firstError ?? ""))
        r.knownIssue = PORTKEY_STREAMING_BUG;
      log(
        `  → TTFT p50 ${r.ttftMs.p50} ms, p99 ${r.ttftMs.p99} ms, failures ${r.failures}` +
          (r.firstError ? ` (${r.firstError})` : ""),
      );
      if (r.legsMs?.toUpstream)
        log(
          `  → legs p50: to the upstream ${r.legsMs.toUpstream.p50} ms, upstream ${r.legsMs.upstream.p50} ms, ` +
            `back to the client ${r.legsMs.back.p50} ms`,
        );
    }
  }
}
