import { describe, expect, it, vi } from "vitest";
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  MAX_MESSAGE_BYTES,
  QueueBatcher,
  type QueueBatcherOptions,
  itemsOf,
  packMessages,
  queueBatcher,
  sendBatches,
} from "./queue-batcher";

/** A queue binding that fails its first `failures` calls and records every call it accepted. */
function recordingQueue(failures = 0) {
  const calls: Array<{ kind: "send" | "sendBatch"; bodies: unknown[]; contentTypes: unknown[] }> = [];
  let attempts = 0;
  const queue = {
    async send(body: unknown, options?: { contentType?: string }) {
      if (++attempts <= failures) throw new Error("Queue send failed: injected");
      calls.push({ kind: "send", bodies: [body], contentTypes: [options?.contentType] });
    },
    async sendBatch(messages: Array<{ body: unknown; contentType?: string }>) {
      if (++attempts <= failures) throw new Error("Queue send failed: injected");
      calls.push({
        kind: "sendBatch",
        bodies: messages.map((m) => m.body),
        contentTypes: messages.map((m) => m.contentType),
      });
    },
  } as unknown as Queue<unknown>;
  return { queue, calls, attempts: () => attempts };
}

function harness(failures = 0, overrides: Partial<QueueBatcherOptions<unknown>> = {}) {
  const q = recordingQueue(failures);
  const undelivered: unknown[][] = [];
  const batcher = new QueueBatcher(q.queue as Queue<unknown[]>, {
    lingerMs: 2,
    attempts: 2,
    retryDelayMs: () => 1,
    onUndelivered: (bodies) => undelivered.push(bodies),
    ...overrides,
  });
  // One waitUntil per simulated request; `settled` waits for everything any request handed over.
  const handed: Promise<unknown>[] = [];
  const waitUntil = (p: Promise<unknown>) => void handed.push(p);
  const settled = async () => {
    while (handed.length > 0) await Promise.all(handed.splice(0));
  };
  return { ...q, batcher, undelivered, waitUntil, handed, settled };
}

const item = (n: number, bytes = 10) => ({ body: { n }, bytes });
const numbers = (bodies: unknown[]) => bodies.map((message) => (message as Array<{ n: number }>).map((i) => i.n));

describe("QueueBatcher", () => {
  it("packs the items of concurrent requests into one queue message, a JSON array", async () => {
    const h = harness();
    h.batcher.add([item(1), item(2)], h.waitUntil);
    h.batcher.add([item(3)], h.waitUntil);
    h.batcher.add([item(4)], h.waitUntil);
    expect(h.calls).toEqual([]); // nothing leaves before the linger
    await h.settled();
    expect(h.calls).toEqual([
      { kind: "send", bodies: [[{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]], contentTypes: ["json"] },
    ]);
  });

  it("keeps only the request that opened a batch waiting for its flush", async () => {
    const h = harness();
    h.batcher.add([item(1)], h.waitUntil);
    h.batcher.add([item(2)], h.waitUntil);
    expect(h.handed).toHaveLength(1);
    await h.settled();
  });

  it(
    "takes over a flush whose timer never fired (its " + "request was cancelled), so items do not wait forever",
    async () => {
      vi.useFakeTimers();
      try {
        const h = harness(0, { lingerMs: 5 });
        // The first request's flush timer is armed but never fires, as if its request had died.
        h.batcher.add([item(1)], () => {});
        vi.setSystemTime(Date.now() + 2_000);
        h.batcher.add([item(2)], h.waitUntil);
        expect(h.handed).toHaveLength(1);
        await vi.advanceTimersByTimeAsync(10);
        await h.settled();
        expect(h.calls.flatMap((c) => numbers(c.bodies)).flat()).toEqual([1, 2]);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  it("opens a new batch for items added after a flush", async () => {
    const h = harness();
    h.batcher.add([item(1)], h.waitUntil);
    await h.settled();
    h.batcher.add([item(2)], h.waitUntil);
    await h.settled();
    expect(h.calls.map((c) => numbers(c.bodies))).toEqual([[[1]], [[2]]]);
  });

  it(`fills queue messages up to ${MAX_MESSAGE_BYTES} bytes and sends several in one sendBatch`, async () => {
    const h = harness();
    const quarter = Math.floor(MAX_MESSAGE_BYTES / 4);
    // 6 quarters: two messages (3 + 3), both within one sendBatch's byte budget.
    for (let n = 1; n <= 6; n++) h.batcher.add([item(n, quarter)], h.waitUntil);
    await h.settled();
    expect(h.calls.map((c) => c.kind)).toEqual(["sendBatch"]);
    expect(numbers(h.calls[0]!.bodies)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("sends at once, without waiting for the linger, a batch that reached a sendBatch's byte budget", async () => {
    const h = harness(0, { lingerMs: 60_000 });
    const half = Math.floor(MAX_BATCH_BYTES / 2);
    h.batcher.add([item(1, half)], h.waitUntil);
    h.batcher.add([item(2, half)], h.waitUntil);
    // The flush at once and the (long) lingering one: settle just the first.
    await h.handed[1];
    expect(h.calls.flatMap((c) => numbers(c.bodies))).toEqual([[1], [2]]);
  });

  it(
    "never puts more than the byte budget in one call, " + "and sends an oversized item in a message of its own",
    async () => {
      const h = harness();
      const big = MAX_MESSAGE_BYTES - 100;
      h.batcher.add(
        [item(1, big), item(2, big), item(3, big), item(4, 10), item(5, MAX_MESSAGE_BYTES + 1)],
        h.waitUntil,
      );
      await h.settled();
      // Two nearly full messages fill a sendBatch's 240 KB; the small item joins the third; the oversized one is a
      // message alone.
      expect(h.calls.map((c) => [c.kind, numbers(c.bodies)])).toEqual([
        ["sendBatch", [[1], [2]]],
        ["sendBatch", [[3, 4], [5]]],
      ]);
    },
  );

  it(`splits packed messages into sendBatch calls of at most ${MAX_BATCH_MESSAGES} messages, in order`, () => {
    const messages = Array.from({ length: 250 }, (_, n) => ({ body: [n], bytes: 10 }));
    const batches = sendBatches(messages);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((m) => m.body[0])).toEqual(Array.from({ length: 250 }, (_, n) => n));
  });

  it("packs items in order and never over the message size", () => {
    const items = Array.from({ length: 50 }, (_, n) => ({ body: n, bytes: 10_000 }));
    const messages = packMessages(items);
    for (const m of messages) expect(m.bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messages.flatMap((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(messages.length).toBe(Math.ceil(50 / Math.floor(MAX_MESSAGE_BYTES / 10_001)));
  });

  it("retries a failed call with the same items", async () => {
    const h = harness(1);
    h.batcher.add([item(1), item(2)], h.waitUntil);
    await h.settled();
    expect(h.attempts()).toBe(2);
    expect(h.calls).toEqual([{ kind: "send", bodies: [[{ n: 1 }, { n: 2 }]], contentTypes: ["json"] }]);
    expect(h.undelivered).toEqual([]);
  });

  it("reports every item of a batch the queue refused on every attempt, without throwing", async () => {
    const h = harness(5, { attempts: 3 });
    h.batcher.add([item(1), item(2)], h.waitUntil);
    await expect(h.settled()).resolves.toBeUndefined();
    expect(h.attempts()).toBe(3);
    expect(h.calls).toEqual([]);
    expect(h.undelivered).toEqual([[{ n: 1 }, { n: 2 }]]);
  });

  it("waits the retry delay between attempts", async () => {
    const delays: number[] = [];
    const h = harness(2, {
      attempts: 3,
      retryDelayMs: (retry) => {
        delays.push(retry);
        return 1;
      },
    });
    h.batcher.add([item(1)], h.waitUntil);
    await h.settled();
    expect(delays).toEqual([1, 2]);
    expect(h.calls).toHaveLength(1);
  });
});

describe("itemsOf", () => {
  it("reads a packed message and a single item alike", () => {
    expect(itemsOf([{ n: 1 }, { n: 2 }])).toEqual([{ n: 1 }, { n: 2 }]);
    expect(itemsOf({ n: 1 })).toEqual([{ n: 1 }]);
  });
});

describe("queueBatcher", () => {
  it("is one batcher per queue binding", () => {
    const options = { lingerMs: 1, attempts: 1, retryDelayMs: () => 0, onUndelivered: () => {} };
    const a = recordingQueue().queue;
    const b = recordingQueue().queue;
    expect(queueBatcher(a, options)).toBe(queueBatcher(a, options));
    expect(queueBatcher(a, options)).not.toBe(queueBatcher(b, options));
  });
});
