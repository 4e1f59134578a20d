import { type PayloadLogRecord, payloadLogRecord } from "@edgeserve/api";
import { openDatabase } from "@edgeserve/db";
import type { Env } from "../env";
import { itemsOf } from "../queues/queue-batcher";
import { retryBackoff } from "../queues/retry-delay";
import { gzipJsonLines } from "./gzip-jsonl";
import type { LegacyPayloadLogMessage, PayloadLogMessage, PayloadLogPurgeMessage } from "./message";
import { batchHash, payloadObjectKey } from "./object-key";
import { purgePayloadLogs } from "./purge";
import { ownersOf } from "./record-owner";

/**
 * Retry delay after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 5 minutes (then the DLQ, see wrangler.toml).
 */
export const retryDelaySeconds = retryBackoff(5);

type Queued = PayloadLogMessage | LegacyPayloadLogMessage;
type QueueBody = Queued | Queued[] | PayloadLogPurgeMessage;

interface Resolved {
  message: Message<QueueBody>;
  record: PayloadLogRecord;
  stagedKey?: string;
}

function isPurge(message: Message<QueueBody>): message is Message<PayloadLogPurgeMessage> {
  return !Array.isArray(message.body) && "purge" in message.body;
}

/**
 * Consumer of queue `edgeserve-payload-logs`: writes each batch as one gzip JSON Lines object per
 * endpoint (id) and day, and runs the purges of deleted endpoints (purge.ts). A message holds the records
 * one isolate sent together (an array; a single record from before batching is read too). A record whose
 * endpoint was deleted meanwhile is dropped. A message is acked only after all its records are in R2; if
 * any of its writes failed, the whole message is retried with backoff. A record redelivered after its
 * write succeeded (another record of its message failed, or the ack was lost) may land a second time;
 * the reader drops such copies by request id and time.
 */
export async function handlePayloadLogBatch(
  batch: MessageBatch<QueueBody>,
  env: Env,
  bucket: R2Bucket = env.ARTIFACTS,
): Promise<void> {
  const recordMessages: Message<QueueBody>[] = [];
  for (const message of batch.messages) {
    if (!isPurge(message)) recordMessages.push(message);
    else
      await purgePayloadLogs(message, env, bucket).catch((error) => {
        reportFailure("payload log purge failed", message.body.purge.endpointId, 1, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      });
  }
  if (recordMessages.length > 0) await writeRecords(recordMessages, env, bucket);
}

async function writeRecords(messages: Message<QueueBody>[], env: Env, bucket: R2Bucket): Promise<void> {
  const queued = messages.flatMap((message) =>
    itemsOf(message.body as Queued | Queued[]).map((item) => ({ message, item })),
  );
  let owners: (string | null)[];
  try {
    owners = await ownersOf(
      openDatabase(env.DB),
      queued.map((q) => q.item),
    );
  } catch (error) {
    reportFailure("payload log owners unreadable", null, messages.length, error);
    for (const message of messages) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  const groups = new Map<string, Resolved[]>();
  const failed = new Set<Message<QueueBody>>();
  const orphans: string[] = [];
  for (const [i, { message, item }] of queued.entries()) {
    const endpointId = owners[i];
    if (!endpointId) {
      // Its endpoint is gone: the record is dropped, and a staging copy with it.
      if ("staged" in item) orphans.push(item.staged.key);
      continue;
    }
    let resolved: Resolved | null;
    try {
      resolved = await resolve(bucket, message, item);
    } catch (error) {
      reportFailure("staged payload log unreadable", endpointId, 1, error);
      failed.add(message);
      continue;
    }
    // Null: a staged record already consumed (an earlier delivery wrote it and deleted the staging copy).
    if (!resolved) continue;
    const group = `${endpointId}\n${resolved.record.request_date}`;
    (groups.get(group) ?? groups.set(group, []).get(group)!).push(resolved);
  }
  if (orphans.length) await bucket.delete(orphans).catch(() => {});
  for (const [group, items] of groups) {
    const [endpointId, date] = group.split("\n") as [string, string];
    try {
      await writeGroup(bucket, endpointId, date, items);
    } catch (error) {
      reportFailure("payload log write failed", endpointId, items.length, error);
      for (const item of items) failed.add(item.message);
      continue;
    }
    const staged = items.flatMap((i) => (i.stagedKey ? [i.stagedKey] : []));
    // The record is safely written; a staging copy that fails to delete is only wasted space.
    if (staged.length) await bucket.delete(staged).catch(() => {});
  }
  for (const message of messages) {
    if (failed.has(message)) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    else message.ack();
  }
}

async function resolve(bucket: R2Bucket, message: Message<QueueBody>, item: Queued): Promise<Resolved | null> {
  if ("record" in item) return { message, record: item.record };
  const object = await bucket.get(item.staged.key);
  if (!object) return null;
  const record = payloadLogRecord.parse(await object.json());
  return { message, record, stagedKey: item.staged.key };
}

async function writeGroup(bucket: R2Bucket, endpointId: string, date: string, items: Resolved[]): Promise<void> {
  const records = items.map((i) => i.record).sort((a, b) => a.timestamp_ms - b.timestamp_ms);
  const key = payloadObjectKey(
    endpointId,
    date,
    records[0]!.timestamp_ms,
    records.at(-1)!.timestamp_ms,
    await batchHash(items.map((i) => i.message.id)),
  );
  await bucket.put(key, await gzipJsonLines(records), {
    httpMetadata: { contentType: "application/gzip" },
    customMetadata: { records: String(records.length) },
  });
}

/** One line per failure (never the payload itself); the messages are retried by the caller. */
function reportFailure(what: string, endpointId: string | null, messages: number, error: unknown): void {
  console.error(
    JSON.stringify({
      level: "error",
      msg: what,
      endpointId,
      messages,
      error: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
    }),
  );
}
