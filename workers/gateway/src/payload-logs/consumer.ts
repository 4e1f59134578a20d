import { type PayloadLogRecord, payloadLogRecord } from "@edgeserve/api";
import type { Env } from "../env";
import { gzipJsonLines } from "./gzip-jsonl";
import type { PayloadLogMessage } from "./message";
import { batchHash, payloadObjectKey } from "./object-key";

/** Retry delay after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 5 minutes (then the DLQ, see wrangler.toml). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

interface Resolved {
  message: Message<PayloadLogMessage>;
  record: PayloadLogRecord;
  stagedKey?: string;
}

/**
 * Consumer of queue `edgeserve-payload-logs`: writes each batch as one gzip JSON Lines object per
 * endpoint and day. Messages are acked only after their object is in R2; a failed write retries just
 * that object's messages with backoff. A message redelivered after its write succeeded (the ack was
 * lost) may land a second time; the reader drops such copies by request id and time.
 */
export async function handlePayloadLogBatch(batch: MessageBatch<PayloadLogMessage>, env: Env, bucket: R2Bucket = env.ARTIFACTS): Promise<void> {
  const groups = new Map<string, Resolved[]>();
  for (const message of batch.messages) {
    let resolved: Resolved | null;
    try {
      resolved = await resolve(bucket, message);
    } catch (error) {
      reportFailure("staged payload log unreadable", message.body.endpoint, 1, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    if (!resolved) {
      // Staged object already consumed: an earlier delivery wrote it and deleted the staging copy.
      message.ack();
      continue;
    }
    const group = `${message.body.endpoint}\n${resolved.record.request_date}`;
    (groups.get(group) ?? groups.set(group, []).get(group)!).push(resolved);
  }
  for (const [group, items] of groups) {
    const [endpoint, date] = group.split("\n") as [string, string];
    try {
      await writeGroup(bucket, endpoint, date, items);
    } catch (error) {
      reportFailure("payload log write failed", endpoint, items.length, error);
      for (const item of items) item.message.retry({ delaySeconds: retryDelaySeconds(item.message.attempts) });
      continue;
    }
    for (const item of items) item.message.ack();
    const staged = items.flatMap((i) => (i.stagedKey ? [i.stagedKey] : []));
    // The record is safely written; a staging copy that fails to delete is only wasted space.
    if (staged.length) await bucket.delete(staged).catch(() => {});
  }
}

async function resolve(bucket: R2Bucket, message: Message<PayloadLogMessage>): Promise<Resolved | null> {
  const body = message.body;
  if ("record" in body) return { message, record: body.record };
  const object = await bucket.get(body.staged.key);
  if (!object) return null;
  const record = payloadLogRecord.parse(await object.json());
  return { message, record, stagedKey: body.staged.key };
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
