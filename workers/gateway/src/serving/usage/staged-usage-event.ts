import type { UsageEvent } from "./usage-event";

/**
 * A usage event too large for a queue message (128 KB) is staged in R2 and sent as this pointer, as
 * payload logs are. Bounded query fields keep every event far below it, so this is the guarantee
 * that none is ever dropped for its size, not a path traffic takes.
 */
export interface StagedUsageEvent {
  id: string;
  kind: "staged";
  key: string;
}

/** What goes on the `edgeserve-usage` queue: an event, or where in R2 an oversized one waits. */
export type UsageQueueItem = UsageEvent | StagedUsageEvent;

/**
 * Events whose JSON is larger than this are staged (a message also carries its neighbours and the queue's overhead).
 */
export const MAX_INLINE_USAGE_EVENT_BYTES = 100 * 1024;

/** Where staged events wait for the consumer, which deletes each once its row is written. */
export const STAGED_USAGE_PREFIX = "usage/_staged/";

/** Writes the event to R2 (keyed by its id, so a second try overwrites) and answers the pointer to send. */
export async function stageUsageEvent(bucket: R2Bucket, event: UsageEvent, json: string): Promise<StagedUsageEvent> {
  const key = `${STAGED_USAGE_PREFIX}${event.id}.json`;
  await bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
  return { id: event.id, kind: "staged", key };
}

/**
 * The events of queue items, staged ones read back from R2, and the staging keys to delete once they are
 * written. A pointer whose object is gone was written and cleaned up by an earlier delivery (the row's id
 * is the event's, so nothing is lost). Throws if R2 cannot be read, so the message is retried.
 */
export async function resolveStagedUsage(
  bucket: R2Bucket,
  items: readonly UsageQueueItem[],
): Promise<{ events: UsageEvent[]; stagedKeys: string[] }> {
  if (!items.some((item) => item.kind === "staged")) return { events: items as UsageEvent[], stagedKeys: [] };
  const events: UsageEvent[] = [];
  const stagedKeys: string[] = [];
  for (const item of items) {
    if (item.kind !== "staged") {
      events.push(item);
      continue;
    }
    const object = await bucket.get(item.key);
    if (!object) continue;
    events.push(await object.json<UsageEvent>());
    stagedKeys.push(item.key);
  }
  return { events, stagedKeys };
}

/** Deletes staging copies whose events are written; a failed delete only leaves wasted space. */
export async function deleteStagedUsage(bucket: R2Bucket, keys: string[]): Promise<void> {
  if (keys.length > 0) await bucket.delete(keys).catch(() => {});
}
