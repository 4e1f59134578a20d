import { env } from "cloudflare:workers";
import type { Env } from "../../env";
import { enqueueUsageEvents } from "./send-usage-event";
import type { UsageRecord } from "./usage-record";

/**
 * The one place usage records go: onto the `edgeserve-usage` queue (off the response path, batched with
 * the isolate's other usage events), from which the usage consumer batch-writes them to D1 (`usage_records`).
 * The binding is read from the worker's module env, so providers need not pass it along.
 */
export function recordUsage(record: UsageRecord, waitUntil: (promise: Promise<unknown>) => void): void {
  enqueueUsageEvents((env as unknown as Env).USAGE_EVENTS, [{ id: crypto.randomUUID(), kind: "usage", record }], waitUntil);
}
