import { describe, expect, it } from "vitest";
import { metricsFromGroups } from "./endpoint-metrics";

describe("metricsFromGroups", () => {
  it("keeps counts per (entity, status) and sums one histogram per entity", () => {
    const m = metricsFromGroups(
      "ep",
      [
        { servedEntity: "b", statusCode: 500, count: 1, sumMs: 900, cumulative: [0, 0, 1] },
        { servedEntity: "a", statusCode: 200, count: 3, sumMs: 30, cumulative: [1, 3, 3] },
        { servedEntity: "b", statusCode: 200, count: 2, sumMs: 20, cumulative: [2, 2, 2] },
      ],
      [
        { servedEntity: "b", input: 4, output: 2 },
        { servedEntity: "a", input: 1, output: 0 },
      ],
    );
    expect(m.requests).toEqual([
      { servedEntity: "a", statusCode: 200, count: 3 },
      { servedEntity: "b", statusCode: 200, count: 2 },
      { servedEntity: "b", statusCode: 500, count: 1 },
    ]);
    expect(m.latency).toEqual([
      { servedEntity: "a", cumulative: [1, 3, 3], count: 3, sumMs: 30 },
      { servedEntity: "b", cumulative: [2, 2, 3], count: 3, sumMs: 920 },
    ]);
    expect(m.tokens.map((t) => t.servedEntity)).toEqual(["a", "b"]);
  });
});
