import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { enforceSignature } from "./enforce-signature";
import type { ScoringInput } from "./scoring-input";
import { parseSchema } from "./signature";

const iris = parseSchema([
  { type: "double", name: "length", required: true },
  { type: "long", name: "count", required: true },
  { type: "string", name: "note", required: false },
]);
const frame = (columns: string[], rows: unknown[][]): ScoringInput => ({ kind: "dataframe", columns, rows });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError && e.code === "BAD_REQUEST" && e.status === 400) return e.message;
    throw e;
  }
  throw new Error("expected a 400 BAD_REQUEST");
}

describe("enforceSignature with a column signature", () => {
  it("reorders to the signature, drops extra columns, keeps supplied optional ones", () => {
    expect(enforceSignature(frame(["extra", "count", "length"], [["z", 3, 1.5]]), iris)).toEqual(
      frame(["length", "count"], [[1.5, 3]]),
    );
    expect(enforceSignature(frame(["note", "count", "length"], [["n", 3, 1]]), iris)).toEqual(
      frame(["length", "count", "note"], [[1, 3, "n"]]),
    );
  });
  it("allows int → double (safe conversion) and named tensors as columns", () => {
    const input: ScoringInput = { kind: "tensors", values: { length: [1, 2], count: [3, 4] } };
    expect(enforceSignature(input, iris)).toEqual(
      frame(
        ["length", "count"],
        [
          [1, 3],
          [2, 4],
        ],
      ),
    );
  });
  it("names the missing columns (and the extra ones), with the schema", () => {
    expect(messageOf(() => enforceSignature(frame(["length", "cnt"], [[1, 2]]), iris))).toBe(
      "Failed to enforce schema of data with schema ['length': double " +
        "(required), 'count': long (required), 'note': string (optional)]. " +
        "Error: Model is missing inputs ['count']. Note that there were extra inputs: ['cnt']",
    );
  });
  it.each([
    [
      frame(["length", "count"], [["1.5", 3]]),
      "Incompatible input types for column length. Can not safely convert str to float64.",
    ],
    [
      frame(["length", "count"], [[1.5, 3.5]]),
      "Incompatible input types for column count. Can not safely convert float64 to int64.",
    ],
    [
      frame(["length", "count"], [[1, true]]),
      "Incompatible input types for column count. Can not safely convert bool to int64.",
    ],
    [
      frame(["length", "count", "note"], [[1, 2, 7]]),
      "Incompatible input types for column note. Can not safely convert int64 to str.",
    ],
  ])("names the column and the expected type: %j", (input, message) => {
    expect(messageOf(() => enforceSignature(input, iris))).toContain(message);
  });
  it("explains missing values in an integer column", () => {
    expect(
      messageOf(() =>
        enforceSignature(
          frame(
            ["length", "count"],
            [
              [1, 2],
              [1, null],
            ],
          ),
          iris,
        ),
      ),
    ).toContain("Can not safely convert float64 to int64. Hint: the type mismatch is likely caused by missing values.");
  });
  it("checks integer, boolean, binary and datetime columns", () => {
    const schema = parseSchema([
      { type: "integer", name: "i" },
      { type: "boolean", name: "b" },
      { type: "binary", name: "bin" },
      { type: "datetime", name: "t" },
    ]);
    const ok = frame(["i", "b", "bin", "t"], [[7, true, "aGVsbG8=", "2024-01-02 03:04:05"]]);
    expect(enforceSignature(ok, schema)).toEqual(ok);
    expect(
      messageOf(() => enforceSignature(frame(["i", "b", "bin", "t"], [[2 ** 40, true, "", "2024-01-02"]]), schema)),
    ).toContain("Can not safely convert int64 to int32.");
    expect(
      messageOf(() =>
        enforceSignature(frame(["i", "b", "bin", "t"], [[1, true, "not base64!", "2024-01-02"]]), schema),
      ),
    ).toContain("column bin. Expected base64");
    expect(
      messageOf(() => enforceSignature(frame(["i", "b", "bin", "t"], [[1, true, "", "yesterday"]]), schema)),
    ).toContain("Failed to convert column t from type str to datetime.");
  });
  it("checks array and object columns value by value", () => {
    const schema = parseSchema([
      { type: "array", items: { type: "double" }, name: "v" },
      { type: "object", properties: { a: { type: "string" } }, name: "o" },
    ]);
    expect(enforceSignature(frame(["v", "o"], [[[1, 2.5], { a: "x" }]]), schema)).toEqual(
      frame(["v", "o"], [[[1, 2.5], { a: "x" }]]),
    );
    expect(messageOf(() => enforceSignature(frame(["v", "o"], [[[1, "2"], { a: "x" }]]), schema))).toContain(
      "column v (row 0)[1]",
    );
    expect(messageOf(() => enforceSignature(frame(["v", "o"], [[[1], { b: "x" }]]), schema))).toContain(
      'Missing required properties ["a"]',
    );
  });
  it("maps a bare list to a single named column, as MLflow does", () => {
    const schema = parseSchema([{ type: "string", name: "text" }]);
    expect(enforceSignature({ kind: "tensor", value: ["a", "b"] }, schema)).toEqual(frame(["text"], [["a"], ["b"]]));
  });
  it("unnamed columns are matched by position and counted", () => {
    const schema = parseSchema([{ type: "double" }, { type: "double" }]);
    expect(enforceSignature({ kind: "tensor", value: [[1, 2, 3]] }, schema)).toEqual(frame(["0", "1"], [[1, 2]]));
    expect(messageOf(() => enforceSignature({ kind: "tensor", value: [[1]] }, schema))).toContain(
      "The model signature declares 2 inputs  but the provided value only has 1 inputs.",
    );
  });
  it("passes anything through without a schema", () => {
    const input = frame(["x"], [["anything"]]);
    expect(enforceSignature(input, undefined)).toBe(input);
  });
});

describe("enforceSignature with a tensor signature", () => {
  const unnamed = parseSchema([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 4] } }]);
  const named = parseSchema([
    { type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1, 3] }, name: "input_ids" },
    { type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1, 3] }, name: "attention_mask" },
  ]);

  it("accepts a matching tensor, rows first, ints in a float tensor", () => {
    const input: ScoringInput = {
      kind: "tensor",
      value: [
        [5.1, 3.5, 1.4, 0],
        [6, 3, 4, 1],
      ],
    };
    expect(enforceSignature(input, unnamed)).toEqual(input);
  });
  it("checks the shape", () => {
    expect(messageOf(() => enforceSignature({ kind: "tensor", value: [[1, 2, 3]] }, unnamed))).toBe(
      "Failed to enforce schema of data with schema [Tensor('float32', (-1, " +
        "4))]. Error: Shape of input (1, 3) does not match expected shape (-1, 4).",
    );
    expect(messageOf(() => enforceSignature({ kind: "tensor", value: [[1, 2, 3, 4], [1]] }, unnamed))).toContain(
      "ragged",
    );
  });
  it("checks the dtype", () => {
    expect(messageOf(() => enforceSignature({ kind: "tensor", value: [["a", 2, 3, 4]] }, unnamed))).toContain(
      "dtype of input object does not match expected dtype float32.",
    );
    expect(
      messageOf(() =>
        enforceSignature({ kind: "tensors", values: { input_ids: [[1, 2, 3]], attention_mask: [[1, 1, 0.5]] } }, named),
      ),
    ).toContain("dtype of input float64 does not match expected dtype int64 for input 'attention_mask'.");
  });
  it("named tensors: all present, from a dictionary or DataFrame columns of lists", () => {
    const values = { input_ids: [[101, 7, 102]], attention_mask: [[1, 1, 1]] };
    expect(enforceSignature({ kind: "tensors", values }, named)).toEqual({ kind: "tensors", values });
    expect(
      enforceSignature(
        frame(
          ["attention_mask", "input_ids"],
          [
            [
              [1, 1, 1],
              [101, 7, 102],
            ],
          ],
        ),
        named,
      ),
    ).toEqual({ kind: "tensors", values });
    expect(messageOf(() => enforceSignature({ kind: "tensors", values: { input_ids: [[1, 2, 3]] } }, named))).toContain(
      "Model is missing inputs ['attention_mask'].",
    );
    expect(messageOf(() => enforceSignature({ kind: "tensor", value: [[1, 2, 3]] }, named))).toContain(
      "but an input of type list was found.",
    );
  });
  it("a DataFrame feeds an unnamed tensor by its columns", () => {
    expect(enforceSignature(frame(["a", "b", "c", "d"], [[1, 2, 3, 4]]), unnamed)).toEqual({
      kind: "tensor",
      value: [[1, 2, 3, 4]],
    });
    expect(messageOf(() => enforceSignature(frame(["a", "b"], [[1, 2]]), unnamed))).toContain(
      "the input shape must be of the structure (-1, number_of_dataframe_columns)",
    );
    const column = parseSchema([{ type: "tensor", "tensor-spec": { dtype: "float64", shape: [-1, 1] } }]);
    expect(enforceSignature(frame(["x"], [[1], [2]]), column)).toEqual({ kind: "tensor", value: [[1], [2]] });
  });
});
