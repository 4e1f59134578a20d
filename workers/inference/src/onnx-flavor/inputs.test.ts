import { describe, expect, it } from "vitest";
import { toFeeds, type InputSpec } from "./inputs";

const single: InputSpec[] = [{ name: "x", type: "float32", shape: ["batch", 3] }];
const named: InputSpec[] = [
  { name: "ids", type: "int64", shape: [-1, 2] },
  { name: "flag", type: "bool", shape: [-1] },
];

describe("toFeeds", () => {
  it("feeds a dataframe to a single input as [rows, columns] in column order", () => {
    const [feed] = toFeeds(
      {
        kind: "dataframe",
        columns: ["a", "b", "c"],
        rows: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
      single,
    );
    expect(feed!.dims).toEqual([2, 3]);
    expect(Array.from(feed!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("feeds one dataframe column per named input, with dtype conversion", () => {
    const feeds = toFeeds(
      {
        kind: "dataframe",
        columns: ["flag", "ids"],
        rows: [
          [true, [1, 2]],
          [0, [3, 4]],
        ],
      },
      named,
    );
    expect(feeds.map((f) => [f.name, f.dims])).toEqual([
      ["ids", [2, 2]],
      ["flag", [2]],
    ]);
    expect(Array.from(feeds[0]!.data as BigInt64Array)).toEqual([1n, 2n, 3n, 4n]);
    expect(Array.from(feeds[1]!.data as Uint8Array)).toEqual([1, 0]);
  });

  it("reshapes a [n, 1] column for a rank-1 input and refuses the wrong width", () => {
    const [feed] = toFeeds({ kind: "tensor", value: [[true], [false]] }, [{ name: "f", type: "bool", shape: [-1] }]);
    expect(feed!.dims).toEqual([2]);
    expect(() => toFeeds({ kind: "tensor", value: [[1, 2]] }, single)).toThrow(
      "Input 'x' has shape [1, 2] but the model expects float32 of shape [-1, 3]",
    );
  });

  it("refuses out-of-range integers and several inputs fed one tensor", () => {
    expect(() => toFeeds({ kind: "tensors", values: { ids: [[1, 2 ** 60]], flag: [true] } }, named)).toThrow(
      "'ids' expects int64",
    );
    expect(() => toFeeds({ kind: "tensor", value: [[1, 2]] }, named)).toThrow("several inputs");
  });
});
