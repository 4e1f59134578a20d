import { openDatabase } from "@edgeserve/db";
import type { Env } from "../../env";
import { itemsOf } from "../../queues/queue-batcher";
import { retryBackoff } from "../../queues/retry-delay";
import { type UsageQueueItem, deleteStagedUsage, resolveStagedUsage } from "./staged-usage-event";
import { type UsageStore, d1UsageStore } from "./usage-store";

/** Redelivery after a failed write: 2, 4, 8 … seconds, capped (usage records are wanted soon). */
export const retryDelaySeconds = retryBackoff(2);

function logWriteFailure(what: string, error: unknown, details: Record<string, unknown> = {}): void {
  console.error(
    JSON.stringify({
      type: "usage_write_failed",
      what,
      message: error instanceof Error ? error.message : String(error),
      ...details,
    }),
  );
}

/**
 * The `edgeserve-usage` consumer. A message holds the events one isolate sent together (an array; a
 * single event from before batching is read too). The whole batch is written in one D1 `batch()` (one
 * round trip, one transaction). If that fails, each message is written on its own so one bad write does not hold
 * back the rest: the ones that land are acked, the others are retried with backoff, and after the
 * queue's `max_retries` they go to the dead-letter queue `edgeserve-usage-dlq` (kept there, not dropped).
 * Writes are idempotent (see usage-store.ts), so a redelivered message never counts twice — even when
 * a write landed but its ack was lost. Events staged in R2 for their size are read back first, and their
 * staging copies deleted once written.
 */
export async function handleUsageBatch(
  batch: MessageBatch<UsageQueueItem | UsageQueueItem[]>,
  env: Env,
  store: UsageStore = d1UsageStore(openDatabase(env.DB)),
  bucket: R2Bucket = env.ARTIFACTS,
): Promise<void> {
  try {
    const { events, stagedKeys } = await resolveStagedUsage(
      bucket,
      batch.messages.flatMap((m) => itemsOf(m.body)),
    );
    await store.writeAll(events);
    await deleteStagedUsage(bucket, stagedKeys);
    batch.ackAll();
    return;
  } catch (error) {
    logWriteFailure("batch", error, { size: batch.messages.length });
  }
  for (const message of batch.messages) {
    try {
      const { events, stagedKeys } = await resolveStagedUsage(bucket, itemsOf(message.body));
      await store.writeMessage(events);
      await deleteStagedUsage(bucket, stagedKeys);
      message.ack();
    } catch (error) {
      logWriteFailure("message", error, { id: message.id, attempts: message.attempts });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
