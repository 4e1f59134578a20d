import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase, queryOutcomes, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import worker from "../../index";
import { STAGED_USAGE_PREFIX, type UsageQueueItem } from "./staged-usage-event";
import { handleUsageBatch, retryDelaySeconds } from "./usage-consumer";
import type { UsageEvent } from "./usage-event";
import { type UsageStore, d1UsageStore } from "./usage-store";

const db = openDatabase(env.DB);

function usageEvent(endpointId: string, n: number): UsageEvent {
  return {
    id: `${endpointId}-usage-${n}`,
    kind: "usage",
    record: {
      requestId: `req-${n}`,
      timestamp: 1_700_000_000_000 + n,
      endpointId,
      endpointName: "consumer-test",
      servedEntity: "primary",
      requester: "alice@example.com",
      requesterKind: "user",
      task: "llm/v1/chat",
      provider: "custom",
      stream: false,
      promptTokens: n,
      completionTokens: 1,
      estimated: false,
      status: 200,
      latencyMs: 12,
    },
  };
}

function outcomeEvent(endpointId: string, n: number): UsageEvent {
  return {
    id: `${endpointId}-query-${n}`,
    kind: "query",
    outcome: {
      requestId: `req-${n}`,
      timestamp: 1_700_000_000_000 + n,
      endpointId,
      servedEntity: "primary",
      status: 200,
      latencyMs: 12,
      usageTracked: true,
    },
  };
}

/**
 * The real D1 store with injected faults: every whole-batch write fails (so the consumer falls back to
 * one write per message); `failTimes[id]` writes of a message holding that event fail before writing;
 * and the messages holding an event in `landThenFail` are written and then report a failure once (an
 * ack that never arrived).
 */
function flakyStore(failTimes: Record<string, number>, landThenFail: Set<string>): UsageStore & { batchCalls: number } {
  const real = d1UsageStore(db);
  const store = {
    batchCalls: 0,
    async writeAll() {
      store.batchCalls++;
      throw new Error("D1_ERROR: injected batch failure");
    },
    async writeMessage(events: readonly UsageEvent[]) {
      const failing = events.find((e) => (failTimes[e.id] ?? 0) > 0);
      if (failing) {
        failTimes[failing.id]!--;
        throw new Error("D1_ERROR: injected write failure");
      }
      await real.writeMessage(events);
      if (events.filter((e) => landThenFail.delete(e.id)).length > 0)
        throw new Error("D1_ERROR: injected failure after the write landed");
    },
  };
  return store;
}

/** The test pool's queue result does not report retry delays, so they are read on the way through. */
function observeRetryDelays(batch: MessageBatch<UsageQueueItem | UsageQueueItem[]>) {
  const delays = new Map<string, number | undefined>();
  const observed: MessageBatch<UsageQueueItem | UsageQueueItem[]> = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages: batch.messages.map((m) => ({
      id: m.id,
      timestamp: m.timestamp,
      body: m.body,
      attempts: m.attempts,
      ack: () => m.ack(),
      retry: (options?: QueueRetryOptions) => {
        delays.set(m.id, options?.delaySeconds);
        m.retry(options);
      },
    })),
    ackAll: () => batch.ackAll(),
    retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
  };
  return { observed, delays };
}

interface Delivery {
  id: string;
  body: UsageQueueItem | UsageQueueItem[];
  attempts: number;
}

/** Delivers like the queue would: retried messages come back with attempts + 1 until none is left. */
async function deliverUntilSettled(queue: Delivery[], store: UsageStore, maxRounds = 8) {
  const delays: Array<Array<number | undefined>> = [];
  let pending = queue;
  for (let round = 0; pending.length > 0; round++) {
    expect(round, "messages still retried after max rounds").toBeLessThan(maxRounds);
    const batch = createMessageBatch<UsageQueueItem | UsageQueueItem[]>(
      "edgeserve-usage",
      pending.map((d) => ({ ...d, timestamp: new Date() })),
    );
    const ctx = createExecutionContext();
    const { observed, delays: roundDelays } = observeRetryDelays(batch);
    await handleUsageBatch(observed, env, store);
    const result = await getQueueResult(batch, ctx);
    expect(result.outcome).toBe("ok");
    expect(result.retryBatch.retry).toBe(false);
    const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
    // Every message is either acked or retried, never both, never neither.
    for (const d of pending) expect(result.explicitAcks.includes(d.id) !== retried.has(d.id), d.id).toBe(true);
    expect([...roundDelays.keys()].sort()).toEqual([...retried].sort());
    delays.push([...roundDelays.values()]);
    pending = pending.filter((d) => retried.has(d.id)).map((d) => ({ ...d, attempts: d.attempts + 1 }));
  }
  return delays;
}

/** Puts an event where the producer stages one too large for a queue message. */
async function stageInR2(staged: UsageEvent): Promise<{ staged: UsageEvent; key: string }> {
  const key = `${STAGED_USAGE_PREFIX}${staged.id}.json`;
  await env.ARTIFACTS.put(key, JSON.stringify(staged));
  return { staged, key };
}

async function rowsOf(endpointId: string) {
  const usage = await db.select().from(usageRecords).where(eq(usageRecords.endpointId, endpointId));
  const outcomes = await db.select().from(queryOutcomes).where(eq(queryOutcomes.endpointId, endpointId));
  return { usage, outcomes };
}

describe("usage queue consumer", () => {
  it("writes a healthy batch in one D1 batch and acks it all", async () => {
    const events = [1, 2, 3].flatMap((n) => [usageEvent("ep-healthy", n), outcomeEvent("ep-healthy", n)]);
    const batch = createMessageBatch<UsageEvent>(
      "edgeserve-usage",
      events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect(result.retryMessages).toEqual([]);
    const { usage, outcomes } = await rowsOf("ep-healthy");
    expect(usage.map((r) => r.id).sort()).toEqual(["ep-healthy-usage-1", "ep-healthy-usage-2", "ep-healthy-usage-3"]);
    expect(usage.find((r) => r.id === "ep-healthy-usage-2")).toMatchObject({
      requestId: "req-2",
      promptTokens: 2,
      completionTokens: 1,
      estimated: false,
      stream: false,
      requester: "alice@example.com",
    });
    expect(outcomes.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  });

  it(
    "writes a full batch of 100 (more rows than one statement " +
      "may bind), each row exactly once, its optional fields intact",
    async () => {
      const events = Array.from({ length: 50 }, (_, n) => [
        usageEvent("ep-full", n),
        outcomeEvent("ep-full", n),
      ]).flat();
      const withContext = events[0] as Extract<UsageEvent, { kind: "usage" }>;
      withContext.record = {
        ...withContext.record,
        clientRequestId: "client-0",
        usageContext: { team: "ml" },
        stream: true,
        estimated: true,
      };
      await d1UsageStore(db).writeAll(events);
      await d1UsageStore(db).writeAll(events.slice(0, 30));
      const { usage, outcomes } = await rowsOf("ep-full");
      expect(usage).toHaveLength(50);
      expect(outcomes).toHaveLength(50);
      expect(new Set(usage.map((r) => r.promptTokens))).toEqual(new Set(Array.from({ length: 50 }, (_, n) => n)));
      expect(usage.find((r) => r.id === "ep-full-usage-0")).toMatchObject({
        clientRequestId: "client-0",
        usageContext: { team: "ml" },
        stream: true,
        estimated: true,
      });
      expect(usage.find((r) => r.id === "ep-full-usage-1")).toMatchObject({
        clientRequestId: null,
        usageContext: null,
        stream: false,
        estimated: false,
      });
    },
  );

  it(
    "lands every record exactly once when some writes fail, " + "some land without an ack, and the queue redelivers",
    async () => {
      const ep = "ep-faults";
      const events = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? usageEvent(ep, i) : outcomeEvent(ep, i)));
      const store = flakyStore(
        { [`${ep}-usage-2`]: 3, [`${ep}-query-5`]: 1, [`${ep}-usage-8`]: 2 },
        new Set([`${ep}-usage-4`, `${ep}-query-9`]),
      );
      const deliveries = events.map((body, i) => ({ id: `msg-${i}`, body, attempts: 1 }));
      // The queue is at-least-once: two messages also arrive twice in the first batch.
      const duplicated = [
        ...deliveries,
        { ...deliveries[0]!, id: "msg-0-dup" },
        { ...deliveries[3]!, id: "msg-3-dup" },
      ];

      const delays = await deliverUntilSettled(duplicated, store);

      expect(store.batchCalls).toBeGreaterThan(0);
      // Round 1 retries the 3 failed writes and the 2 writes whose success was not reported, with backoff.
      expect(delays[0]).toEqual([2, 2, 2, 2, 2]);
      expect(delays[1]).toEqual([4, 4]);
      expect(delays[2]).toEqual([8]);
      expect(delays).toHaveLength(4);

      const { usage, outcomes } = await rowsOf(ep);
      const ids = [...usage, ...outcomes].map((r) => r.id).sort();
      expect(ids).toEqual(events.map((e) => e.id).sort());
      const expectedPrompt = events
        .filter((e) => e.kind === "usage")
        .reduce((sum, e) => sum + (e.kind === "usage" ? e.record.promptTokens : 0), 0);
      expect(usage.reduce((sum, r) => sum + r.promptTokens, 0)).toBe(expectedPrompt);
      expect(outcomes).toHaveLength(6);
    },
  );

  it(
    "writes the events packed into one message (an array) and " +
      "single-event messages alike, and retries a packed message whole",
    async () => {
      const ep = "ep-packed";
      const packed = [usageEvent(ep, 1), outcomeEvent(ep, 1), usageEvent(ep, 2), outcomeEvent(ep, 2)];
      const faulty = [usageEvent(ep, 3), outcomeEvent(ep, 3)];
      const single = usageEvent(ep, 4);
      const store = flakyStore({ [`${ep}-query-3`]: 1 }, new Set());
      const delays = await deliverUntilSettled(
        [
          { id: "packed", body: packed, attempts: 1 },
          { id: "faulty", body: faulty, attempts: 1 },
          { id: "single", body: single, attempts: 1 },
        ],
        store,
      );
      expect(delays).toEqual([[2], []]);
      const { usage, outcomes } = await rowsOf(ep);
      expect(usage.map((r) => r.id).sort()).toEqual([
        `${ep}-usage-1`,
        `${ep}-usage-2`,
        `${ep}-usage-3`,
        `${ep}-usage-4`,
      ]);
      expect(outcomes.map((r) => r.id).sort()).toEqual([`${ep}-query-1`, `${ep}-query-2`, `${ep}-query-3`]);
    },
  );

  it("redelivering an already written batch changes nothing", async () => {
    const ep = "ep-redeliver";
    const events = [usageEvent(ep, 1), outcomeEvent(ep, 1)];
    for (const attempts of [1, 2, 3]) {
      const batch = createMessageBatch<UsageEvent>(
        "edgeserve-usage",
        events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
      );
      const ctx = createExecutionContext();
      await handleUsageBatch(batch, env);
      expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
    }
    const { usage, outcomes } = await rowsOf(ep);
    expect(usage).toHaveLength(1);
    expect(outcomes).toHaveLength(1);
  });

  it(
    "reads a staged event back from R2, writes it, deletes the " +
      "staging copy, and acks a redelivered pointer without a second row",
    async () => {
      const ep = "ep-staged";
      const { staged, key } = await stageInR2(usageEvent(ep, 1));
      const body: UsageQueueItem[] = [outcomeEvent(ep, 1), { id: staged.id, kind: "staged", key }];
      for (const attempts of [1, 2]) {
        const batch = createMessageBatch<UsageQueueItem[]>("edgeserve-usage", [
          { id: "m-staged", timestamp: new Date(), attempts, body },
        ]);
        const ctx = createExecutionContext();
        await handleUsageBatch(batch, env);
        expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
        expect(await env.ARTIFACTS.head(key)).toBeNull();
      }
      const { usage, outcomes } = await rowsOf(ep);
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({ id: staged.id, requestId: "req-1", promptTokens: 1 });
      expect(outcomes).toHaveLength(1);
    },
  );

  it("keeps the staging copy of an event whose write failed, so the retry still finds it", async () => {
    const ep = "ep-staged-retry";
    const { staged, key } = await stageInR2(usageEvent(ep, 1));
    const store = flakyStore({ [staged.id]: 1 }, new Set());
    const delays = await deliverUntilSettled(
      [{ id: "m-staged-retry", body: [{ id: staged.id, kind: "staged", key }], attempts: 1 }],
      store,
    );
    expect(delays).toEqual([[2], []]);
    expect((await rowsOf(ep)).usage.map((r) => r.id)).toEqual([staged.id]);
    expect(await env.ARTIFACTS.head(key)).toBeNull();
  });

  it("retries a write that keeps failing with growing delays (the queue then dead-letters it)", () => {
    expect([1, 2, 3, 4, 5, 8, 9, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 16, 32, 256, 300, 300]);
  });

  it("refuses a batch from a queue it does not consume, so the queue keeps it", async () => {
    const batch = createMessageBatch("edgeserve-unknown", [{ id: "x", timestamp: new Date(), attempts: 1, body: {} }]);
    await expect(worker.queue(batch, env)).rejects.toThrow("No consumer for queue 'edgeserve-unknown'");
  });
});
