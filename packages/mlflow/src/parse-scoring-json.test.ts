import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { decodeScoringJson, parseScoringJson } from "./parse-scoring-json";

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("decodeScoringJson", () => {
  it("returns a JSON object", () => {
    expect(decodeScoringJson('{"inputs": [1]}')).toEqual({ inputs: [1] });
  });
  it.each([
    ["{not json", /^Invalid input\. Ensure that input is a valid JSON formatted string\. Error: '/],
    [
      "[1, 2]",
      /exactly one of the input fields \{'dataframe_split', 'dataframe_records', 'instances', 'inputs'\}\. Received a list\.$/,
    ],
    ['"text"', /Received unexpected input type 'str'\.$/],
  ])("refuses %j with MLflow's message", (text, message) => {
    const error = errorOf(() => decodeScoringJson(text));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});

describe("parseScoringJson", () => {
  it("dataframe_split → named columns and rows", () => {
    expect(
      parseScoringJson({
        dataframe_split: {
          columns: ["a", "b"],
          data: [
            [1, "x"],
            [2, "y"],
          ],
          index: [0, 1],
        },
      }),
    ).toEqual({
      input: {
        kind: "dataframe",
        columns: ["a", "b"],
        rows: [
          [1, "x"],
          [2, "y"],
        ],
      },
    });
  });
  it("dataframe_split without columns names them 0, 1, … and a list of scalars is one column", () => {
    expect(parseScoringJson({ dataframe_split: { data: [[1, 2]] } }).input).toEqual({
      kind: "dataframe",
      columns: ["0", "1"],
      rows: [[1, 2]],
    });
    expect(parseScoringJson({ dataframe_split: { columns: ["a"], data: [1, 2] } }).input).toEqual({
      kind: "dataframe",
      columns: ["a"],
      rows: [[1], [2]],
    });
  });
  it("dataframe_records → the union of keys in first-seen order, missing cells null", () => {
    expect(parseScoringJson({ dataframe_records: [{ a: 1 }, { b: true, a: 2 }] }).input).toEqual({
      kind: "dataframe",
      columns: ["a", "b"],
      rows: [
        [1, null],
        [2, true],
      ],
    });
  });
  it("instances of rows → one tensor; of dictionaries → named columnar tensors", () => {
    expect(
      parseScoringJson({
        instances: [
          [1, 2],
          [3, 4],
        ],
      }).input,
    ).toEqual({
      kind: "tensor",
      value: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(
      parseScoringJson({
        instances: [
          { a: 1, b: [1, 2] },
          { a: 2, b: [3, 4] },
        ],
      }).input,
    ).toEqual({
      kind: "tensors",
      values: {
        a: [1, 2],
        b: [
          [1, 2],
          [3, 4],
        ],
      },
    });
  });
  it("inputs → one tensor, or named tensors; a scalar is one row", () => {
    expect(parseScoringJson({ inputs: [[1.5, 2]] }).input).toEqual({ kind: "tensor", value: [[1.5, 2]] });
    expect(parseScoringJson({ inputs: { x: [1, 2], y: [3, 4] } }).input).toEqual({
      kind: "tensors",
      values: { x: [1, 2], y: [3, 4] },
    });
    expect(parseScoringJson({ inputs: "hello" }).input).toEqual({ kind: "tensor", value: ["hello"] });
    expect(parseScoringJson({ inputs: { prompt: "hi" } }).input).toEqual({
      kind: "tensors",
      values: { prompt: ["hi"] },
    });
  });
  it("keeps params and ignores Databricks' query extras", () => {
    expect(
      parseScoringJson({ inputs: [1], params: { k: 2 }, client_request_id: "r1", usage_context: { a: "b" } }),
    ).toEqual({
      input: { kind: "tensor", value: [1] },
      params: { k: 2 },
    });
  });

  it.each([
    [{ inputs: [1], instances: [1] }, "['inputs', 'instances']"],
    [{}, "[]"],
    [{ data: [1], params: {} }, "['data', 'params']"],
  ])("needs exactly one input field: %j", (body, received) => {
    const error = errorOf(() => parseScoringJson(body));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(
      `Received dictionary with input fields: ${received}. IMPORTANT: The MLflow Model scoring protocol has changed`,
    );
  });

  it.each([
    [{ dataframe_split: [[1]] }, /orient 'split'.*expected a dictionary/],
    [
      { dataframe_split: { columns: ["a", "b"], data: [[1]] } },
      /2 columns passed, passed data had 1 columns \(row 0\)/,
    ],
    [{ dataframe_split: { columns: ["a"], data: [[1]], extra: 1 } }, /unexpected key\(s\): extra/],
    [{ dataframe_split: { columns: ["a", "a"], data: [[1, 2]] } }, /column names must be unique/],
    [{ dataframe_records: { a: 1 } }, /orient 'records'.*expected a list of records, got dict/],
    [{ dataframe_records: [{ a: 1 }, 3] }, /record 1 is a int, not a dictionary/],
    [
      { instances: { a: 1 } },
      /Failed to parse data as TF serving input\. Ensure that the input is a valid JSON-formatted string/,
    ],
    [{ inputs: { a: [1, 2], b: [1] } }, /The length of values for each input\/column name are not the same/],
    [{ inputs: [1], params: [1] }, /Parameters must be a dictionary\. Got type 'list'\./],
  ])("refuses malformed %j", (body, message) => {
    const error = errorOf(() => parseScoringJson(body as Record<string, unknown>));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
