import { describe, expect, it } from "vitest";
import { afterResponse } from "./after-response";

describe("afterResponse", () => {
  it("resolves only after everything already queued on this turn, microtasks included", async () => {
    const order: string[] = [];
    const later = afterResponse().then(() => order.push("after response"));
    void Promise.resolve().then(() => order.push("microtask"));
    order.push("sync");
    await later;
    expect(order).toEqual(["sync", "microtask", "after response"]);
  });
});
