import { DEAD_LETTER_SOURCE_QUEUES, type DeadLetter, type DeadLetterSourceQueue } from "@edgeserve/api";
import { sha256Hex } from "../hex";
import { deadLetterQueueOf } from "./source-queues";
import { summarizeDeadLetter } from "./summarize";

/**
 * Dead letters are kept in R2 (bucket ARTIFACTS) as `dead-letters/<queue>/<id>.json`: the message body
 * as JSON, with what the list shows in the object's custom metadata, so listing reads no body. R2 rather
 * than D1: a body is up to 128 KB and opaque, needs no query but by queue and id, and sits beside the
 * staged payload logs and usage events its pointers name.
 */
export const DEAD_LETTER_PREFIX = "dead-letters/";

/** What the object holds: enough to send the message back. */
interface StoredDeadLetter {
  queue: DeadLetterSourceQueue;
  id: string;
  body: unknown;
}

/** Custom metadata of a dead letter's object (R2 keeps strings). */
interface DeadLetterMetadata {
  messageId: string;
  firstFailedAt: string;
  lastFailedAt: string;
  deadLetterCount: string;
  sizeBytes: string;
  summary: string;
}

export function deadLetterKey(queue: DeadLetterSourceQueue, id: string): string {
  return `${DEAD_LETTER_PREFIX}${queue}/${id}.json`;
}

/** The first 128 bits of the body's SHA-256: the same message, delivered again or dead-lettered again, keeps its id. */
async function idOf(json: string): Promise<string> {
  return (await sha256Hex(json)).slice(0, 32);
}

function listed(queue: DeadLetterSourceQueue, id: string, meta: Partial<DeadLetterMetadata>): DeadLetter {
  return {
    queue,
    dead_letter_queue: deadLetterQueueOf(queue),
    id,
    message_id: meta.messageId ?? "",
    first_failed_at: Number(meta.firstFailedAt ?? 0),
    last_failed_at: Number(meta.lastFailedAt ?? 0),
    dead_letter_count: Number(meta.deadLetterCount ?? 1),
    size_bytes: Number(meta.sizeBytes ?? 0),
    summary: meta.summary ?? "",
  };
}

/**
 * Keeps a message that reached `queue`'s dead-letter queue. Idempotent: a redelivery of the same
 * dead-letter message changes nothing; the same body arriving as another message (a duplicate, or a
 * copy sent again) counts once more and moves `last_failed_at`.
 */
export async function keepDeadLetter(
  bucket: R2Bucket,
  queue: DeadLetterSourceQueue,
  message: { id: string; body: unknown },
  now = Date.now(),
): Promise<DeadLetter> {
  const json = JSON.stringify(message.body) ?? "null";
  const id = await idOf(json);
  const key = deadLetterKey(queue, id);
  const existing = (await bucket.head(key))?.customMetadata as Partial<DeadLetterMetadata> | undefined;
  if (existing?.messageId === message.id) return listed(queue, id, existing);
  const meta: DeadLetterMetadata = {
    messageId: message.id,
    firstFailedAt: existing?.firstFailedAt ?? String(now),
    lastFailedAt: String(now),
    deadLetterCount: String(existing ? Number(existing.deadLetterCount ?? 1) + 1 : 1),
    sizeBytes: String(new TextEncoder().encode(json).byteLength),
    summary: summarizeDeadLetter(queue, message.body),
  };
  const stored: StoredDeadLetter = { queue, id, body: message.body };
  await bucket.put(key, JSON.stringify(stored), {
    httpMetadata: { contentType: "application/json" },
    customMetadata: { ...meta },
  });
  return listed(queue, id, meta);
}

/** The queue and id of a dead letter's key, or null for a key this store did not write. */
function parseKey(key: string): { queue: DeadLetterSourceQueue; id: string } | null {
  const match = /^dead-letters\/([^/]+)\/([0-9a-f]{32})\.json$/.exec(key);
  const queue = DEAD_LETTER_SOURCE_QUEUES.find((q) => q === match?.[1]);
  return match && queue ? { queue, id: match[2]! } : null;
}

/** One page of dead letters (of one queue, or all), in key order, described by their metadata only. */
export async function listDeadLetters(
  bucket: R2Bucket,
  options: { queue?: DeadLetterSourceQueue; limit: number; cursor?: string },
): Promise<{ deadLetters: DeadLetter[]; cursor?: string }> {
  // `include` (honoured since compatibility date 2022-08-04) is missing from the root workers-types.
  const listOptions: R2ListOptions & { include: ["customMetadata"] } = {
    prefix: options.queue ? `${DEAD_LETTER_PREFIX}${options.queue}/` : DEAD_LETTER_PREFIX,
    limit: options.limit,
    ...(options.cursor ? { cursor: options.cursor } : {}),
    include: ["customMetadata"],
  };
  const page = await bucket.list(listOptions);
  const deadLetters = page.objects.flatMap((object) => {
    const ref = parseKey(object.key);
    return ref ? [listed(ref.queue, ref.id, (object.customMetadata ?? {}) as Partial<DeadLetterMetadata>)] : [];
  });
  return { deadLetters, ...(page.truncated ? { cursor: page.cursor } : {}) };
}

/** The kept body of a dead letter, or null if there is no such dead letter. */
export async function readDeadLetter(
  bucket: R2Bucket,
  queue: DeadLetterSourceQueue,
  id: string,
): Promise<{ body: unknown } | null> {
  const object = await bucket.get(deadLetterKey(queue, id));
  if (!object) return null;
  const stored = await object.json<StoredDeadLetter>();
  return { body: stored.body };
}

/** Removes a dead letter; false if there was none. */
export async function deleteDeadLetter(bucket: R2Bucket, queue: DeadLetterSourceQueue, id: string): Promise<boolean> {
  const key = deadLetterKey(queue, id);
  if (!(await bucket.head(key))) return false;
  await bucket.delete(key);
  return true;
}
