// The bench's production layout puts the query path and the logging pipeline in two workerd processes.
// In production the gateway's queue send is a call to Cloudflare's Queues service, and the broker, the
// consumer invocations and the D1 and R2 they write to run elsewhere. Under Miniflare, one workerd
// thread runs all of them beside the query path, and their CPU would count as the gateway's (how much:
// bench/findings.json, "The layout"). So in this layout:
//
//   gateway process: the usage and payload-log queue bindings are service bindings to a relay worker
//     whose `send` / `sendBatch` (the Queue methods the gateway calls, over RPC) POST the messages to
//   pipeline process: an ingress worker that puts them on the real (Miniflare) queues, consumed there by
//     the same gateway bundle into that process's D1 and R2.
//
// The deployments queue (control plane, not on the query path) stays in the gateway process.

/** Queue bindings moved to the pipeline process: binding name → queue name (wrangler.toml). */
export const RELAYED_QUEUES = { USAGE_EVENTS: "edgeserve-usage", PAYLOAD_LOGS: "edgeserve-payload-logs" };

const entrypointOf = (binding) => `Relay_${binding}`;

/** Worker options (Miniflare) for the relay, and the service bindings that stand in for the queues. */
export function relayWorker(pipelineUrl) {
  const classes = Object.entries(RELAYED_QUEUES)
    .map(
      ([binding, queue]) => `export class ${entrypointOf(binding)} extends Relay { queue = ${JSON.stringify(queue)}; }`,
    )
    .join("\n");
  const script = `import { WorkerEntrypoint } from "cloudflare:workers";
class Relay extends WorkerEntrypoint {
  send(body, options = {}) { return this.post([{ ...options, body }]); }
  sendBatch(messages) { return this.post(messages); }
  async post(messages) {
    const res = await fetch(this.env.PIPELINE_URL + "/" + this.queue, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(messages),
    });
    // A refused send throws, as a Queue binding's does, so the gateway's batcher retries it.
    if (!res.ok) throw new Error("queue relay: " + res.status + " " + (await res.text()));
  }
}
${classes}
export default { fetch() { return new Response("queue relay", { status: 404 }); } };`;
  return {
    worker: {
      name: "bench-queue-relay",
      modules: true,
      script,
      compatibilityDate: "2026-04-26",
      bindings: { PIPELINE_URL: pipelineUrl },
      stripCfConnectingIp: false,
    },
    serviceBindings: Object.fromEntries(
      Object.keys(RELAYED_QUEUES).map((binding) => [
        binding,
        { name: "bench-queue-relay", entrypoint: entrypointOf(binding) },
      ]),
    ),
  };
}

/**
 * Worker options for the pipeline process's ingress: `POST /<queue>` with a sendBatch body puts the
 * messages on that queue; anything else goes to the gateway worker there (the usage API, for the
 * bench's delivery check).
 */
export function ingressWorker(gatewayName) {
  const byQueue = Object.fromEntries(Object.entries(RELAYED_QUEUES).map(([binding, queue]) => [queue, binding]));
  const script = `const BINDING_BY_QUEUE = ${JSON.stringify(byQueue)};
export default {
  async fetch(request, env) {
    const binding = BINDING_BY_QUEUE[new URL(request.url).pathname.slice(1)];
    if (!binding || request.method !== "POST") return env.GATEWAY.fetch(request);
    await env[binding].sendBatch(await request.json());
    return new Response(null, { status: 204 });
  },
};`;
  return {
    name: "bench-queue-ingress",
    modules: true,
    script,
    compatibilityDate: "2026-04-26",
    queueProducers: Object.fromEntries(
      Object.entries(RELAYED_QUEUES).map(([binding, queue]) => [binding, { queueName: queue }]),
    ),
    serviceBindings: { GATEWAY: gatewayName },
  };
}
