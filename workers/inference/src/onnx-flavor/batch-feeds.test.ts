import { describe, expect, it } from "vitest";
import { batchKey, concatFeeds, rowCounts, splitOutputs } from "./batch-feeds";
import type { Feed } from "./inputs";

const feed = (rows: number[][]): Feed[] => [
  { name: "x", type: "float32", data: Float32Array.from(rows.flat()), dims: [rows.length, 2] },
];

describe("batch feeds", () => {
  it("concatenates compatible requests along dim 0 and splits outputs back", () => {
    const requests = [
      feed([[1, 2]]),
      feed([
        [3, 4],
        [5, 6],
      ]),
    ];
    expect(batchKey(requests[0]!)).toBe(batchKey(requests[1]!));
    const [joined] = concatFeeds(requests);
    expect(joined!.dims).toEqual([3, 2]);
    expect(Array.from(joined!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const split = splitOutputs(
      [{ name: "y", type: "float32", data: new Float32Array([10, 20, 30]), dims: [3] }],
      rowCounts(requests),
    );
    expect(split!.map((o) => Array.from(o[0]!.data as Float32Array))).toEqual([[10], [20, 30]]);
  });

  it("keys differently shaped requests apart and refuses to split an aggregated output", () => {
    const wide: Feed[] = [{ name: "x", type: "float32", data: new Float32Array(3), dims: [1, 3] }];
    expect(batchKey(wide)).not.toBe(batchKey(feed([[1, 2]])));
    expect(
      splitOutputs([{ name: "sum", type: "float32", data: new Float32Array([1]), dims: [1] }], [1, 2]),
    ).toBeUndefined();
  });
});
