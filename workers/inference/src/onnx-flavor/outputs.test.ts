import { describe, expect, it } from "vitest";
import { toPredictions } from "./outputs";

describe("toPredictions", () => {
  it("gives one output's rows, squeezing a trailing dim of 1", () => {
    expect(toPredictions([{ name: "y", type: "float32", data: new Float32Array([1, 2]), dims: [2, 1] }])).toEqual([
      1, 2,
    ]);
    expect(
      toPredictions([{ name: "y", type: "int64", data: new BigInt64Array([1n, 2n, 3n, 4n]), dims: [2, 2] }]),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("gives one record per row for several outputs", () => {
    const predictions = toPredictions([
      { name: "label", type: "int64", data: new BigInt64Array([0n, 1n]), dims: [2] },
      { name: "ok", type: "bool", data: new Uint8Array([1, 0]), dims: [2, 1] },
    ]);
    expect(predictions).toEqual([
      { label: 0, ok: true },
      { label: 1, ok: false },
    ]);
  });
});
