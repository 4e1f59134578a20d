import { afterEach, describe, expect, it, vi } from "vitest";
import { enqueueUsageEvents } from "./send-usage-event";
import type { UsageEvent } from "./usage-event";

const outcome: UsageEvent = {
  id: "evt-1",
  kind: "query",
  outcome: { requestId: "r1", timestamp: 1, endpointId: "ep", servedEntity: "primary", status: 200, latencyMs: 3, usageTracked: true },
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
  return { waitUntil: (p: Promise<unknown>) => void handed.push(p), settled: () => Promise.all(handed) };
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
