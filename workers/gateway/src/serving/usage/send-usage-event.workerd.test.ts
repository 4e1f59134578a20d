import { env } from "cloudflare:workers";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { enqueueUsageEvents } from "./send-usage-event";
import { STAGED_USAGE_PREFIX } from "./staged-usage-event";
import type { UsageEvent } from "./usage-event";

const outcome: UsageEvent = {
  id: "evt-1",
  kind: "query",
  outcome: {
    requestId: "r1",
    timestamp: 1,
    endpointId: "ep",
    servedEntity: "primary",
    status: 200,
    latencyMs: 3,
    usageTracked: true,
  },
};
const usage: UsageEvent = {
  id: "evt-2",
  kind: "usage",
  record: {
    requestId: "r1",
    timestamp: 1,
    endpointId: "ep",
    endpointName: "chat",
    servedEntity: "primary",
    requester: "alice@example.com",
    requesterKind: "user",
    task: "llm/v1/chat",
    provider: "custom",
    stream: false,
    promptTokens: 5,
    completionTokens: 7,
    estimated: false,
    status: 200,
    latencyMs: 3,
  },
};

/** A queue binding that fails its first `failures` calls and records the events of each call it accepted. */
function flakyQueue(failures: number) {
  const batches: unknown[][] = [];
  let calls = 0;
  const queue = {
    async send(body: unknown) {
      if (++calls <= failures) throw new Error("Queue send failed: injected");
      batches.push(body as unknown[]);
    },
    async sendBatch(messages: Array<{ body: unknown }>) {
      if (++calls <= failures) throw new Error("Queue send failed: injected");
      batches.push(messages.flatMap((m) => m.body as unknown[]));
    },
  } as unknown as Queue<UsageEvent[]>;
  return { queue, batches, calls: () => calls };
}

function requests() {
  const handed: Promise<unknown>[] = [];
  return {
    waitUntil: (p: Promise<unknown>) => void handed.push(p),
    /** Waits for every promise handed over, those handed over while waiting included. */
    settled: async () => {
      for (let seen = 0; seen < handed.length; ) {
        const batch = handed.slice(seen);
        seen = handed.length;
        await Promise.all(batch);
      }
    },
  };
}

/** A usage event whose JSON (~200 KB, from a usage_context no query may send) is over a queue message's 128 KB. */
function oversizedUsage(id: string): UsageEvent {
  if (usage.kind !== "usage") throw new Error("unreachable");
  return {
    id,
    kind: "usage",
    record: { ...usage.record, endpointId: id, usageContext: { blob: "u".repeat(200_000) } },
  };
}

afterEach(() => vi.restoreAllMocks());

describe("enqueueUsageEvents", () => {
  it("sends a query's outcome and usage record, enqueued separately, in one queue call", async () => {
    const q = flakyQueue(0);
    const r = requests();
    enqueueUsageEvents(q.queue, [usage], r.waitUntil);
    enqueueUsageEvents(q.queue, [outcome], r.waitUntil);
    await r.settled();
    expect(q.calls()).toBe(1);
    expect(q.batches).toEqual([[usage, outcome]]);
  });

  it("sends nothing for no events", async () => {
    const q = flakyQueue(0);
    const r = requests();
    enqueueUsageEvents(q.queue, [], r.waitUntil);
    await r.settled();
    expect(q.calls()).toBe(0);
  });

  it("tries once more when a call fails", async () => {
    const q = flakyQueue(1);
    const r = requests();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    enqueueUsageEvents(q.queue, [outcome], r.waitUntil);
    await r.settled();
    expect(q.calls()).toBe(2);
    expect(q.batches).toEqual([[outcome]]);
    expect(errors).not.toHaveBeenCalled();
  });

  it("logs every event as an error line when both calls fail", async () => {
    const q = flakyQueue(2);
    const r = requests();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    enqueueUsageEvents(q.queue, [outcome, usage], r.waitUntil);
    await r.settled();
    expect(q.batches).toEqual([]);
    expect(errors.mock.calls.map((c) => JSON.parse(c[0] as string))).toEqual([
      { type: "usage_event_undelivered", reason: "Queue send failed: injected", event: outcome },
      { type: "usage_event_undelivered", reason: "Queue send failed: injected", event: usage },
    ]);
  });

  it("stages an event too large for a queue message in R2 and sends a pointer to it instead", async () => {
    const q = flakyQueue(0);
    const r = requests();
    const big = oversizedUsage("evt-big");
    enqueueUsageEvents(q.queue, [outcome, big], r.waitUntil, env.ARTIFACTS);
    await r.settled();
    expect(q.batches.flat()).toEqual([
      outcome,
      { id: "evt-big", kind: "staged", key: `${STAGED_USAGE_PREFIX}evt-big.json` },
    ]);
    const staged = await env.ARTIFACTS.get(`${STAGED_USAGE_PREFIX}evt-big.json`);
    expect(await staged?.json()).toEqual(big);
  });

  it("logs an oversized event it cannot stage rather than sending what the queue would refuse", async () => {
    const q = flakyQueue(0);
    const r = requests();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const big = oversizedUsage("evt-unstaged");
    enqueueUsageEvents(q.queue, [big], r.waitUntil);
    await r.settled();
    expect(q.calls()).toBe(0);
    expect(JSON.parse(errors.mock.calls[0]![0] as string)).toMatchObject({
      type: "usage_event_undelivered",
      event: { id: "evt-unstaged" },
    });
  });

  it(
    "lands an event too large for a queue message in D1 through " +
      "the real queue and consumer, then deletes its staging copy",
    async () => {
      const r = requests();
      const errors = vi.spyOn(console, "error");
      const big = oversizedUsage("evt-lands");
      enqueueUsageEvents(env.USAGE_EVENTS, [big], r.waitUntil, env.ARTIFACTS);
      await r.settled();
      expect(
        errors.mock.calls.map((c) => String(c[0])).filter((line) => line.includes("usage_event_undelivered")),
      ).toEqual([]);
      const db = openDatabase(env.DB);
      const [row] = await vi.waitFor(
        async () => {
          const rows = await db.select().from(usageRecords).where(eq(usageRecords.id, "evt-lands"));
          expect(rows).toHaveLength(1);
          return rows;
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(row!.usageContext).toEqual({ blob: "u".repeat(200_000) });
      await vi.waitFor(
        async () => expect(await env.ARTIFACTS.head(`${STAGED_USAGE_PREFIX}evt-lands.json`)).toBeNull(),
        {
          timeout: 5_000,
          interval: 100,
        },
      );
    },
  );

  it("logs the events when the queue binding is missing", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    enqueueUsageEvents(undefined, [outcome], requests().waitUntil);
    expect(JSON.parse(errors.mock.calls[0]![0] as string)).toEqual({
      type: "usage_event_undelivered",
      reason: "USAGE_EVENTS queue binding is not configured",
      event: outcome,
    });
  });
});
