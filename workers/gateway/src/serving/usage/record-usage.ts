import { env } from "cloudflare:workers";
import type { Env } from "../../env";
import { enqueueUsageEvents } from "./send-usage-event";
import type { UsageRecord } from "./usage-record";

/**
 * The one place usage records go: onto the `edgeserve-usage` queue (off the response path, batched with
 * the isolate's other usage events), from which the usage consumer batch-writes them to D1 (`usage_records`).
 * The bindings are read from the worker's module env, so providers need not pass them along; ARTIFACTS
 * holds a record too large for a queue message until the consumer writes it.
 */
export function recordUsage(record: UsageRecord, waitUntil: (promise: Promise<unknown>) => void): void {
  const { USAGE_EVENTS, ARTIFACTS } = env as unknown as Env;
  enqueueUsageEvents(USAGE_EVENTS, [{ id: crypto.randomUUID(), kind: "usage", record }], waitUntil, ARTIFACTS);
}
