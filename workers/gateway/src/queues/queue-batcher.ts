type WaitUntil = (promise: Promise<unknown>) => void;

/** An item for the batcher: its body and an upper bound of its JSON size in bytes. */
export interface BatchedMessage<T> {
  body: T;
  bytes: number;
}

export interface QueueBatcherOptions<T> {
  /** How long the first item of a batch waits for others to join it. */
  lingerMs: number;
  /** Calls per batch before its items are reported undelivered. */
  attempts: number;
  /** Pause before retry N (1-based) of a failed call. */
  retryDelayMs: (attempt: number) => number;
  /** Items the queue never took: reported (logged), never silently dropped. */
  onUndelivered: (bodies: T[], error: unknown) => void;
}

/**
 * Cloudflare Queues: a message is at most 128 KB and a sendBatch at most 100 messages and 256 KB; the
 * gaps are headroom for per-message overhead. Queues bill per 64 KB of a message, so a message packed
 * with a hundred small items costs what one item alone did.
 */
export const MAX_MESSAGE_BYTES = 120_000;
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 240_000;
/** A batch this large is flushed at once rather than at the end of its linger. */
const FLUSH_AT_BYTES = MAX_BATCH_BYTES;
/** A scheduled flush this late past its linger is presumed lost. */
const STALE_FLUSH_MS = 1_000;

/**
 * Gathers the items (usage events, payload-log records) that the isolate's concurrent requests put on one
 * queue and sends them together: packed into queue messages that are JSON arrays of items, the messages
 * in one `sendBatch`. A queue call costs about the same for one item as for a hundred, so under load one
 * call per query becomes one per batch; at one request at a time it changes nothing but a few ms of
 * linger, spent after the response is out. Consumers take a message body that is an item or an array.
 *
 * No promise crosses requests (Workers forbid I/O on behalf of another request): the request whose item
 * opens a batch owns its flush and keeps itself alive for it with its own waitUntil; the requests whose
 * items join the batch only add data. A full batch is sent at once by the request that filled it.
 */
export class QueueBatcher<T> {
  private pending: BatchedMessage<T>[] = [];
  private pendingBytes = 0;
  /** When the pending batch's flush was scheduled (0: none is). */
  private flushScheduledAt = 0;

  constructor(
    private readonly queue: Queue<T[]>,
    private readonly options: QueueBatcherOptions<T>,
  ) {}

  add(items: BatchedMessage<T>[], waitUntil: WaitUntil): void {
    for (const item of items) {
      this.pending.push(item);
      this.pendingBytes += item.bytes;
    }
    if (this.pendingBytes >= FLUSH_AT_BYTES) {
      waitUntil(this.send(this.take()));
      return;
    }
    // A flush whose timer never fired (its request was cancelled with it) is taken over by this request.
    const now = Date.now();
    if (
      this.pending.length > 0 &&
      (this.flushScheduledAt === 0 || now - this.flushScheduledAt > this.options.lingerMs + STALE_FLUSH_MS)
    ) {
      this.flushScheduledAt = now;
      waitUntil(this.flushAfterLinger());
    }
  }

  private take(): BatchedMessage<T>[] {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return batch;
  }

  private async flushAfterLinger(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.options.lingerMs));
    this.flushScheduledAt = 0;
    if (this.pending.length > 0) await this.send(this.take());
  }

  private async send(items: BatchedMessage<T>[]): Promise<void> {
    await Promise.all(sendBatches(packMessages(items)).map((batch) => this.sendWithRetries(batch)));
  }

  private async sendWithRetries(batch: BatchedMessage<T[]>[]): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs(attempt - 1)));
      try {
        if (batch.length === 1) await this.queue.send(batch[0]!.body, { contentType: "json" });
        else await this.queue.sendBatch(batch.map((m) => ({ body: m.body, contentType: "json" as const })));
        return;
      } catch (error) {
        lastError = error;
      }
    }
    this.options.onUndelivered(
      batch.flatMap((m) => m.body),
      lastError,
    );
  }
}

/** Packs items, in order, into messages (arrays) of at most MAX_MESSAGE_BYTES; a bigger item travels alone. */
export function packMessages<T>(items: BatchedMessage<T>[]): BatchedMessage<T[]>[] {
  const messages: BatchedMessage<T[]>[] = [];
  let current: BatchedMessage<T[]> | null = null;
  for (const item of items) {
    if (!current || current.bytes + item.bytes + 1 > MAX_MESSAGE_BYTES)
      messages.push((current = { body: [], bytes: 2 }));
    current.body.push(item.body);
    current.bytes += item.bytes + 1;
  }
  return messages;
}

/** Splits messages, in order, into sendBatch calls within the call's count and size limits. */
export function sendBatches<T>(messages: BatchedMessage<T>[]): BatchedMessage<T>[][] {
  const batches: BatchedMessage<T>[][] = [];
  let current: BatchedMessage<T>[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && (current.length >= MAX_BATCH_MESSAGES || bytes + message.bytes > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

const batchers = new WeakMap<Queue<unknown>, QueueBatcher<unknown>>();

/** The isolate's batcher for a queue binding (one per binding object, so each test env gets its own). */
export function queueBatcher<T>(queue: Queue<T[]>, options: QueueBatcherOptions<T>): QueueBatcher<T> {
  let batcher = batchers.get(queue as Queue<unknown>) as QueueBatcher<T> | undefined;
  if (!batcher) {
    batcher = new QueueBatcher(queue, options);
    batchers.set(queue as Queue<unknown>, batcher as QueueBatcher<unknown>);
  }
  return batcher;
}

/** The items of a queue message: an array packed by QueueBatcher, or a single item (messages sent before it). */
export function itemsOf<T>(body: T | T[]): T[] {
  return Array.isArray(body) ? body : [body];
}
