import { type PayloadLogRecord, payloadLogRecord } from "@edgeserve/api";
import type { Env } from "../env";
import { gzipJsonLines } from "./gzip-jsonl";
import type { PayloadLogMessage } from "./message";
import { batchHash, payloadObjectKey } from "./object-key";
import { itemsOf } from "../queues/queue-batcher";

/** Retry delay after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 5 minutes (then the DLQ, see wrangler.toml). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

type QueueBody = PayloadLogMessage | PayloadLogMessage[];

interface Resolved {
  message: Message<QueueBody>;
  record: PayloadLogRecord;
  stagedKey?: string;
}

/**
 * Consumer of queue `edgeserve-payload-logs`: writes each batch as one gzip JSON Lines object per
 * endpoint and day. A message holds the records one isolate sent together (an array; a single record
 * from before batching is read too). A message is acked only after all its records are in R2; if any
 * of its writes failed, the whole message is retried with backoff. A record redelivered after its write
 * succeeded (another record of its message failed, or the ack was lost) may land a second time; the
 * reader drops such copies by request id and time.
 */
export async function handlePayloadLogBatch(batch: MessageBatch<QueueBody>, env: Env, bucket: R2Bucket = env.ARTIFACTS): Promise<void> {
  const groups = new Map<string, Resolved[]>();
  const failed = new Set<Message<QueueBody>>();
  for (const message of batch.messages) {
    for (const item of itemsOf(message.body)) {
      let resolved: Resolved | null;
      try {
        resolved = await resolve(bucket, message, item);
      } catch (error) {
        reportFailure("staged payload log unreadable", item.endpoint, 1, error);
        failed.add(message);
        continue;
      }
      // Null: a staged record already consumed (an earlier delivery wrote it and deleted the staging copy).
      if (!resolved) continue;
      const group = `${item.endpoint}\n${resolved.record.request_date}`;
      (groups.get(group) ?? groups.set(group, []).get(group)!).push(resolved);
    }
  }
  for (const [group, items] of groups) {
    const [endpoint, date] = group.split("\n") as [string, string];
    try {
      await writeGroup(bucket, endpoint, date, items);
    } catch (error) {
      reportFailure("payload log write failed", endpoint, items.length, error);
      for (const item of items) failed.add(item.message);
      continue;
    }
    const staged = items.flatMap((i) => (i.stagedKey ? [i.stagedKey] : []));
    // The record is safely written; a staging copy that fails to delete is only wasted space.
    if (staged.length) await bucket.delete(staged).catch(() => {});
  }
  for (const message of batch.messages) {
    if (failed.has(message)) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    else message.ack();
  }
}

async function resolve(bucket: R2Bucket, message: Message<QueueBody>, item: PayloadLogMessage): Promise<Resolved | null> {
  if ("record" in item) return { message, record: item.record };
  const object = await bucket.get(item.staged.key);
  if (!object) return null;
  const record = payloadLogRecord.parse(await object.json());
  return { message, record, stagedKey: item.staged.key };
}

async function writeGroup(bucket: R2Bucket, endpoint: string, date: string, items: Resolved[]): Promise<void> {
  const records = items.map((i) => i.record).sort((a, b) => a.timestamp_ms - b.timestamp_ms);
  const key = payloadObjectKey(endpoint, date, records[0]!.timestamp_ms, records.at(-1)!.timestamp_ms, await batchHash(items.map((i) => i.message.id)));
  await bucket.put(key, await gzipJsonLines(records), {
    httpMetadata: { contentType: "application/gzip" },
    customMetadata: { records: String(records.length) },
  });
}

/** One line per failed write (never the payload itself); the messages are retried by the caller. */
function reportFailure(what: string, endpoint: string, messages: number, error: unknown): void {
  console.error(JSON.stringify({ level: "error", msg: what, endpoint, messages, error: error instanceof Error ? `${error.name}: ${error.message}` : "unknown" }));
}
