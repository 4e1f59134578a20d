import { afterEach, describe, expect, it, vi } from "vitest";
import { sendUsageEvent, sendUsageEvents } from "./send-usage-event";
import type { UsageEvent } from "./usage-event";

const event: UsageEvent = {
  id: "evt-1",
  kind: "query",
  outcome: { requestId: "r1", timestamp: 1, endpointId: "ep", servedEntity: "primary", status: 200, latencyMs: 3, usageTracked: true },
};

/** A queue binding that fails its first `failures` sends and records what it accepted. */
function flakyQueue(failures: number) {
  const sent: Array<{ body: unknown; options: unknown }> = [];
  const batches: Array<Array<{ body: unknown; contentType?: unknown }>> = [];
  let calls = 0;
  const queue = {
    async send(body: unknown, options?: unknown) {
      calls++;
      if (calls <= failures) throw new Error("Queue send failed: injected");
      sent.push({ body, options });
    },
    async sendBatch(messages: Array<{ body: unknown; contentType?: unknown }>) {
      calls++;
      if (calls <= failures) throw new Error("Queue send failed: injected");
      batches.push(messages);
    },
  } as unknown as Queue<UsageEvent>;
  return { queue, sent, batches, calls: () => calls };
}

afterEach(() => vi.restoreAllMocks());

describe("sendUsageEvent", () => {
  it("sends the event as JSON", async () => {
    const q = flakyQueue(0);
    await sendUsageEvent(q.queue, event);
    expect(q.sent).toEqual([{ body: event, options: { contentType: "json" } }]);
  });

  it("tries once more when a send fails", async () => {
    const q = flakyQueue(1);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await sendUsageEvent(q.queue, event);
    expect(q.calls()).toBe(2);
    expect(q.sent).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it("logs the whole event as an error line when both sends fail, without throwing", async () => {
    const q = flakyQueue(2);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(sendUsageEvent(q.queue, event)).resolves.toBeUndefined();
    expect(q.sent).toEqual([]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(JSON.parse(errors.mock.calls[0]![0] as string)).toEqual({ type: "usage_event_undelivered", reason: "Queue send failed: injected", event });
  });

  it("logs the event when the queue binding is missing", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await sendUsageEvent(undefined, event);
    expect(JSON.parse(errors.mock.calls[0]![0] as string).event).toEqual(event);
  });
});

describe("sendUsageEvents", () => {
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

  it("sends several events in one sendBatch call, each as its own JSON message", async () => {
    const q = flakyQueue(0);
    await sendUsageEvents(q.queue, [event, usage]);
    expect(q.calls()).toBe(1);
    expect(q.sent).toEqual([]);
    expect(q.batches).toEqual([[{ body: event, contentType: "json" }, { body: usage, contentType: "json" }]]);
  });

  it("sends nothing for no events", async () => {
    const q = flakyQueue(0);
    await sendUsageEvents(q.queue, []);
    expect(q.calls()).toBe(0);
  });

  it("retries a failed batch once, then logs every event of it", async () => {
    const retried = flakyQueue(1);
    await sendUsageEvents(retried.queue, [event, usage]);
    expect(retried.batches).toHaveLength(1);

    const failed = flakyQueue(2);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(sendUsageEvents(failed.queue, [event, usage])).resolves.toBeUndefined();
    expect(failed.calls()).toBe(2);
    expect(errors.mock.calls.map((c) => JSON.parse(c[0] as string).event)).toEqual([event, usage]);
  });
});
