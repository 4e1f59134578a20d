import { afterEach, describe, expect, it, vi } from "vitest";
import { sendUsageEvent } from "./send-usage-event";
import type { UsageEvent } from "./usage-event";

const event: UsageEvent = {
  id: "evt-1",
  kind: "query",
  outcome: { requestId: "r1", timestamp: 1, endpointId: "ep", servedEntity: "primary", status: 200, latencyMs: 3, usageTracked: true },
};

/** A queue binding that fails its first `failures` sends and records what it accepted. */
function flakyQueue(failures: number) {
  const sent: Array<{ body: unknown; options: unknown }> = [];
  let calls = 0;
  const queue = {
    async send(body: unknown, options?: unknown) {
      calls++;
      if (calls <= failures) throw new Error("Queue send failed: injected");
      sent.push({ body, options });
    },
    async sendBatch() {
      throw new Error("not used");
    },
  } as unknown as Queue<UsageEvent>;
  return { queue, sent, calls: () => calls };
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
