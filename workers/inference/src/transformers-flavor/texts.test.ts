import { describe, expect, it } from "vitest";
import { toTexts } from "./texts";

describe("toTexts", () => {
  it("reads a single string column, an unnamed list or a single named list", () => {
    expect(toTexts({ kind: "dataframe", columns: ["text"], rows: [["a"], ["b"]] })).toEqual(["a", "b"]);
    expect(toTexts({ kind: "tensor", value: ["a"] })).toEqual(["a"]);
    expect(toTexts({ kind: "tensors", values: { prompt: ["a", "b"] } })).toEqual(["a", "b"]);
  });

  it("refuses several columns, empty input and non-strings", () => {
    expect(() => toTexts({ kind: "dataframe", columns: ["a", "b"], rows: [["x", "y"]] })).toThrow("one string column");
    expect(() => toTexts({ kind: "tensor", value: [] })).toThrow("no texts");
    expect(() => toTexts({ kind: "tensor", value: ["a", null] })).toThrow("row 1 must be a string");
  });
});
