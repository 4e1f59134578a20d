// A target is what the measurements send the same chat request to: { label, url, headers, body (JSON),
// streamBody, pids() (its gateway processes) }, and optionally treePids() (every process it runs),
// pipelinePids() (its logging pipeline's process) and usageBase (whose usage API counts its queries).
import { ENDPOINT, MESSAGES } from "../bench-endpoint.mjs";

/** The targets that are Edgeserve: the production layout, everything in one process, the A/B baseline, wrangler dev. */
export const EDGESERVE_TARGETS = ["edgeserve", "oneProcess", "baseline", "dev"];

/** The OpenAI chat body, as sent to the mock and to Portkey. */
export const chatBody = (stream) =>
  JSON.stringify({ model: "bench-model", messages: MESSAGES, max_tokens: 32, ...(stream ? { stream: true } : {}) });

/** The same chat as Edgeserve's invocations body (the endpoint names the model). */
const edgeBody = (stream) =>
  JSON.stringify({ messages: MESSAGES, max_tokens: 32, ...(stream ? { stream: true } : {}) });

/** An Edgeserve instance at `base`, queried as the bench's service principal (`token`). */
export const edgeserveTarget = (base, token, label, pids) => ({
  label,
  base,
  url: `${base}/serving-endpoints/${ENDPOINT}/invocations`,
  headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  body: edgeBody(false),
  streamBody: edgeBody(true),
  pids,
});

/** Sends one query; returns the status and the elapsed ms. */
export async function oneQuery(target) {
  const t = process.hrtime.bigint();
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: target.headers,
      body: target.body,
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    return { status: res.status, ms: Number(process.hrtime.bigint() - t) / 1e6, text };
  } catch (e) {
    return { status: 0, ms: Number(process.hrtime.bigint() - t) / 1e6, text: String(e) };
  }
}

/** Polls until the target answers 200; returns ms since `t0` (a process start). */
export async function untilAnswered(target, t0, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await oneQuery(target);
    if (r.status === 200) return Number(process.hrtime.bigint() - t0) / 1e6;
    if (Date.now() > deadline)
      throw new Error(`no 200 from ${target.url} within ${timeoutMs} ms: ${r.status} ${r.text.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}
