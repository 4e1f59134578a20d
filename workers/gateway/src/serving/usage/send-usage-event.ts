import { jsonBytesAtMost } from "../../payload-logs/json-size-bound";
import { type BatchedMessage, type QueueBatcher, queueBatcher } from "../../queues/queue-batcher";
import { MAX_INLINE_USAGE_EVENT_BYTES, type UsageQueueItem, stageUsageEvent } from "./staged-usage-event";
import type { UsageEvent } from "./usage-event";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * Events the queue refused twice (or that could not be staged): each is logged as an error line (Workers Logs keep it),
 * so none is lost silently.
 */
function logUndelivered(events: UsageQueueItem[], error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  for (const event of events) console.error(JSON.stringify({ type: "usage_event_undelivered", reason, event }));
}

/** Two tries, the second at once: a usage event is small and the queue's own retries sit behind it. */
const USAGE_BATCHING = { lingerMs: 5, attempts: 2, retryDelayMs: () => 0, onUndelivered: logUndelivered };

/**
 * Puts events on the usage queue, off the response path: they join the isolate's pending batch for the
 * queue (queue-batcher.ts), so a query's outcome and usage record — and those of the queries answered
 * alongside it — go in one `sendBatch`. An event too large for a queue message is staged in `bucket`
 * first and sent as a pointer (staged-usage-event.ts). Never throws: usage delivery must not fail the
 * query it describes.
 */
export function enqueueUsageEvents(
  queue: Queue<UsageQueueItem[]> | undefined,
  events: UsageEvent[],
  waitUntil: WaitUntil,
  bucket?: R2Bucket,
): void {
  if (events.length === 0) return;
  if (!queue) {
    logUndelivered(events, new Error("USAGE_EVENTS queue binding is not configured"));
    return;
  }
  const batcher = queueBatcher<UsageQueueItem>(queue, USAGE_BATCHING);
  const inline: BatchedMessage<UsageQueueItem>[] = [];
  for (const body of events) {
    // The bound is cheap and almost always enough; only a possibly oversized event is serialised to measure.
    const bound = jsonBytesAtMost(body);
    if (bound <= MAX_INLINE_USAGE_EVENT_BYTES) {
      inline.push({ body, bytes: bound });
      continue;
    }
    const json = JSON.stringify(body);
    const bytes = new TextEncoder().encode(json).byteLength;
    if (bytes <= MAX_INLINE_USAGE_EVENT_BYTES) inline.push({ body, bytes });
    else waitUntil(stageThenEnqueue(batcher, bucket, body, json, waitUntil));
  }
  if (inline.length > 0) batcher.add(inline, waitUntil);
}

async function stageThenEnqueue(
  batcher: QueueBatcher<UsageQueueItem>,
  bucket: R2Bucket | undefined,
  event: UsageEvent,
  json: string,
  waitUntil: WaitUntil,
): Promise<void> {
  if (!bucket) {
    logUndelivered([event], new Error("usage event too large for a queue message, and no bucket to stage it in"));
    return;
  }
  try {
    const pointer = await stageUsageEvent(bucket, event, json);
    batcher.add([{ body: pointer, bytes: jsonBytesAtMost(pointer) }], waitUntil);
  } catch (error) {
    logUndelivered([event], error);
  }
}
