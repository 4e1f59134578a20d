import { jsonBytesAtMost } from "../../payload-logs/json-size-bound";
import { queueBatcher } from "../../queues/queue-batcher";
import type { UsageEvent } from "./usage-event";

type WaitUntil = (promise: Promise<unknown>) => void;

/** A batch the queue refused twice: every event is logged as an error line (Workers Logs keep it), so none is lost silently. */
function logUndelivered(events: UsageEvent[], error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  for (const event of events) console.error(JSON.stringify({ type: "usage_event_undelivered", reason, event }));
}

/** Two tries, the second at once: a usage event is small and the queue's own retries sit behind it. */
const USAGE_BATCHING = { lingerMs: 5, attempts: 2, retryDelayMs: () => 0, onUndelivered: logUndelivered };

/**
 * Puts events on the usage queue, off the response path: they join the isolate's pending batch for the
 * queue (queue-batcher.ts), so a query's outcome and usage record — and those of the queries answered
 * alongside it — go in one `sendBatch`. Never throws: usage delivery must not fail the query it describes.
 */
export function enqueueUsageEvents(queue: Queue<UsageEvent[]> | undefined, events: UsageEvent[], waitUntil: WaitUntil): void {
  if (events.length === 0) return;
  if (!queue) {
    logUndelivered(events, new Error("USAGE_EVENTS queue binding is not configured"));
    return;
  }
  queueBatcher(queue, USAGE_BATCHING).add(
    events.map((body) => ({ body, bytes: jsonBytesAtMost(body) })),
    waitUntil,
  );
}
