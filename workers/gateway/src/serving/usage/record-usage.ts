import { env } from "cloudflare:workers";
import type { Env } from "../../env";
import { sendUsageEvent } from "./send-usage-event";
import type { UsageEvent } from "./usage-event";
import { openOutboxOf } from "./usage-outbox";
import type { UsageRecord } from "./usage-record";

/**
 * The one place usage records go: onto the `edgeserve-usage` queue (off the response path, in
 * waitUntil), from which the usage consumer batch-writes them to D1 (`usage_records`). While the query
 * is still being answered the record joins its outbox and is sent with the query's outcome in one
 * queue call (see usage-outbox.ts); otherwise it is sent at once.
 * The binding is read from the worker's module env, so providers need not pass it along.
 */
export function recordUsage(record: UsageRecord, waitUntil: (promise: Promise<unknown>) => void): void {
  const event: UsageEvent = { id: crypto.randomUUID(), kind: "usage", record };
  const outbox = openOutboxOf(waitUntil);
  if (outbox) outbox.events.push(event);
  else waitUntil(sendUsageEvent((env as unknown as Env).USAGE_EVENTS, event));
}
