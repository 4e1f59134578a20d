// Which parts of the "full production path" were on in a run, as RESULTS.md states them.
import { AI_GATEWAY, RATE_LIMIT_CALLS_PER_MINUTE } from "../bench-endpoint.mjs";

/** `upstash` is the rate limiter's bridge, or null when the run had none. */
export function describeProductionPath(upstash) {
  return {
    tokenAuth: "on (non-admin service principal, on-behalf-of token)",
    permissionCheck: "on (CAN_QUERY grant on the endpoint)",
    endpointLookup: "on (isolate cache, EDGESERVE_CACHE_TTL_MS from wrangler.toml)",
    usageRecord:
      "on (ai_gateway.usage_tracking_config: usage record and query outcome on the edgeserve-usage queue, " +
      "packed with the isolate's other events; consumed into D1 by the same bundle, in the logging pipeline's " +
      "process in the production layout and in the gateway's own process in the one-process layout)",
    payloadLogging:
      "on (ai_gateway.inference_table_config: the response copied (a stream as it goes to the client, a whole " +
      "answer from the text it was built from), one record per query on the edgeserve-payload-logs queue, " +
      "consumed into R2 as gzip JSON Lines, in the same process as the usage records)",
    layout:
      "production layout: the gateway's workerd runs the query path and sends its queue messages through a relay " +
      "(bench/queue-relay.mjs) to a second workerd at nice 19 that holds the queues, their consumers and the D1 " +
      "and R2 they write, as Cloudflare's services and consumer invocations elsewhere do in production; the " +
      "one-process layout keeps all of it on the gateway's thread",
    rateLimit: upstash
      ? `on (ai_gateway.rate_limits: ${RATE_LIMIT_CALLS_PER_MINUTE} calls/minute per caller, never reached; ` +
        "every query charged, through the isolate's lease on the budget, which @upstash/ratelimit charges in " +
        `blocks → local Upstash bridge → redis-server on 127.0.0.1:${upstash.redisPort}, a separate process)`
      : "configured but off: no Upstash (redis-server not installed, or BENCH_RATE_LIMITS=0), so nothing enforced it",
    guardrails: "off (not configured: they run only when ai_gateway.guardrails is set)",
    aiGateway: AI_GATEWAY,
  };
}
