import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_S, retryBackoff } from "./retry-delay";

describe("retryBackoff", () => {
  it("waits the first delay after the first failed attempt, doubling after each one, capped at 5 minutes", () => {
    expect([1, 2, 3, 4, 6, 7, 30].map(retryBackoff(5))).toEqual([5, 10, 20, 40, 160, 300, 300]);
    expect([1, 2, 8, 9].map(retryBackoff(2))).toEqual([2, 4, 256, MAX_RETRY_DELAY_S]);
  });
  it("treats a message not yet delivered like a first attempt", () => {
    expect(retryBackoff(5)(0)).toBe(5);
  });
});
