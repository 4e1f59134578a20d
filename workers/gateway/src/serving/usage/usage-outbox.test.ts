import { describe, expect, it } from "vitest";
import type { UsageEvent } from "./usage-event";
import { drainUsageOutbox, openOutboxOf, openUsageOutbox, waitUntilWithOutbox } from "./usage-outbox";

const event = (id: string): UsageEvent => ({
  id,
  kind: "query",
  outcome: { requestId: "r", timestamp: 1, endpointId: "ep", servedEntity: null, status: 200, latencyMs: 1, usageTracked: true },
});

describe("usage outbox", () => {
  it("is found through the waitUntil made for it, and the waitUntil still hands promises on", () => {
    const outbox = openUsageOutbox();
    const handed: Promise<unknown>[] = [];
    const waitUntil = waitUntilWithOutbox(outbox, (p) => handed.push(p));
    expect(openOutboxOf(waitUntil)).toBe(outbox);
    const p = Promise.resolve();
    waitUntil(p);
    expect(handed).toEqual([p]);
  });

  it("is not found through any other waitUntil, nor without an outbox", () => {
    const plain = (_p: Promise<unknown>) => {};
    expect(openOutboxOf(plain)).toBeUndefined();
    expect(openOutboxOf(waitUntilWithOutbox(undefined, plain))).toBeUndefined();
  });

  it("hands over what it held once, and takes nothing after it is drained", () => {
    const outbox = openUsageOutbox();
    const waitUntil = waitUntilWithOutbox(outbox, () => {});
    outbox.events.push(event("a"), event("b"));
    expect(drainUsageOutbox(outbox).map((e) => e.id)).toEqual(["a", "b"]);
    expect(openOutboxOf(waitUntil)).toBeUndefined();
    expect(drainUsageOutbox(outbox)).toEqual([]);
  });
});
