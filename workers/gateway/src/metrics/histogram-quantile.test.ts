import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./histogram-quantile";

const BOUNDS = [10, 100, 1000];

describe("histogramQuantile", () => {
  it("is null without observations", () => {
    expect(histogramQuantile(0.5, BOUNDS, [0, 0, 0], 0, 0)).toBeNull();
  });

  it("interpolates inside the bucket the rank falls in", () => {
    // 10 observations: 2 ≤ 10 ms, 8 in (10, 100]. The median (rank 5) is 3/8 of the way through (10, 100].
    expect(histogramQuantile(0.5, BOUNDS, [2, 10, 10], 10, 90)).toBeCloseTo(10 + (90 * 3) / 8);
  });

  it("never exceeds the largest observation", () => {
    expect(histogramQuantile(0.99, BOUNDS, [0, 10, 10], 10, 42)).toBe(42);
  });

  it("answers the maximum for ranks above the last bound", () => {
    expect(histogramQuantile(0.99, BOUNDS, [1, 1, 1], 10, 5000)).toBe(5000);
  });

  it("starts the first bucket at 0", () => {
    expect(histogramQuantile(0.5, BOUNDS, [4, 4, 4], 4, 10)).toBeCloseTo(5);
  });
});
