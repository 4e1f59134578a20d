import { beforeAll, describe, expect, it } from "vitest";
import { predict, putFixtures } from "./fixtures";

const linear = {
  key: "main.default.linear/1",
  artifactPrefix: "models/linear/1/",
  flavor: "onnx",
  flavorConfig: { data: "model.onnx" },
};
const twoInputs = {
  key: "main.default.two/1",
  artifactPrefix: "models/two/1/",
  flavor: "onnx",
  flavorConfig: { data: "model.onnx" },
};

// y = x · [1, 2, 3, 4] + 0.5 (see test/fixtures/make-models.py)
const expectedLinear = (row: number[]) => row.reduce((sum, x, i) => sum + x * (i + 1), 0.5);

beforeAll(async () => {
  await putFixtures("models/linear/1/", { "model.onnx": "onnx/linear/model.onnx" });
  await putFixtures("models/two/1/", { "model.onnx": "onnx/two-inputs/model.onnx" });
});

describe("POST /v1/predict, onnx flavor", () => {
  it("scores a dataframe as one 2-D input in column order, squeezing the [n, 1] output", async () => {
    const rows = [
      [1, 2, 3, 4],
      [0, 0, 0, 0],
      [-1, 0.5, 2, 10],
    ];
    const { status, body } = await predict({
      model: linear,
      input: { kind: "dataframe", columns: ["a", "b", "c", "d"], rows },
    });
    expect(status).toBe(200);
    expect(body.predictions).toHaveLength(3);
    body.predictions.forEach((p: number, i: number) => expect(p).toBeCloseTo(expectedLinear(rows[i]!), 4));
  });

  it("scores an unnamed tensor and converts numeric strings (CSV) to float32", async () => {
    const { status, body } = await predict({ model: linear, input: { kind: "tensor", value: [["1", "1", "1", "1"]] } });
    expect(status).toBe(200);
    expect(body.predictions).toEqual([10.5]);
  });

  it("feeds named tensors and answers one record per row for several outputs", async () => {
    const input = {
      kind: "tensors",
      values: {
        a: [
          [1, 2],
          [3, 4],
        ],
        b: [[5], [6]],
      },
    };
    const { status, body } = await predict({ model: twoInputs, input });
    expect(status).toBe(200);
    expect(body.predictions).toEqual([
      { doubled: [2, 4], b_plus_one: 6 },
      { doubled: [6, 8], b_plus_one: 7 },
    ]);
  });

  it("feeds one dataframe column per named input", async () => {
    const input = {
      kind: "dataframe",
      columns: ["b", "a"],
      rows: [
        [1, [0.5, 1]],
        [2, [1, 1]],
      ],
    };
    const { status, body } = await predict({ model: twoInputs, input });
    expect(status).toBe(200);
    expect(body.predictions).toEqual([
      { doubled: [1, 2], b_plus_one: 2 },
      { doubled: [2, 2], b_plus_one: 3 },
    ]);
  });

  it("refuses a row of the wrong width, naming the input, dtype and shape", async () => {
    const { status, body } = await predict({
      model: linear,
      input: { kind: "dataframe", columns: ["a", "b"], rows: [[1, 2]] },
    });
    expect(status).toBe(400);
    expect(body.error_code).toBe("BAD_REQUEST");
    expect(body.message).toContain("'features'");
    expect(body.message).toContain("float32");
    expect(body.message).toContain("[-1, 4]");
  });

  it("refuses a value that is not a number, and a non-integer for an int64 input", async () => {
    const text = await predict({ model: linear, input: { kind: "tensor", value: [[1, 2, "x", 4]] } });
    expect(text.status).toBe(400);
    expect(text.body.message).toContain("'features' expects float32");
    const fraction = await predict({
      model: twoInputs,
      input: { kind: "tensors", values: { a: [[1, 2]], b: [[1.5]] } },
    });
    expect(fraction.status).toBe(400);
    expect(fraction.body.message).toContain("'b' expects int64");
  });

  it("refuses missing and unknown named inputs, and ragged arrays", async () => {
    const missing = await predict({ model: twoInputs, input: { kind: "tensors", values: { a: [[1, 2]] } } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("'b' is missing");
    const unknown = await predict({
      model: twoInputs,
      input: { kind: "tensors", values: { a: [[1, 2]], b: [[1]], c: [[1]] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("Unknown model input 'c'");
    const ragged = await predict({
      model: linear,
      input: {
        kind: "tensor",
        value: [
          [1, 2, 3, 4],
          [1, 2],
        ],
      },
    });
    expect(ragged.status).toBe(400);
    expect(ragged.body.message).toContain("not a rectangular array");
  });

  it("answers malformed bodies and unknown models with Databricks-style errors", async () => {
    const notJson = await predict("{");
    expect(notJson).toMatchObject({ status: 400, body: { error_code: "MALFORMED_REQUEST" } });
    const badShape = await predict({ model: linear, input: { kind: "nope" } });
    expect(badShape).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const missing = await predict({
      model: { ...linear, key: "gone/1", artifactPrefix: "models/gone/1/" },
      input: { kind: "tensor", value: [[1, 2, 3, 4]] },
    });
    expect(missing).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    const pathEscape = await predict({
      model: { ...linear, key: "x/1", flavorConfig: { data: "../../secrets" } },
      input: { kind: "tensor", value: [[1, 2, 3, 4]] },
    });
    expect(pathEscape).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
  });

  it("batches concurrent requests into shared runs and gives each its own rows", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => [[i, 1, 0, i % 3]]);
    const results = await Promise.all(
      requests.map((value) => predict({ model: linear, input: { kind: "tensor", value } })),
    );
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body.predictions).toHaveLength(1);
      expect(r.body.predictions[0]).toBeCloseTo(expectedLinear(requests[i]![0]!), 4);
    });
  });

  it("keeps a bad request in a concurrent batch from failing its neighbours", async () => {
    const good = predict({ model: twoInputs, input: { kind: "tensors", values: { a: [[1, 1]], b: [[1]] } } });
    const bad = predict({ model: twoInputs, input: { kind: "tensors", values: { a: [[1, 1]], b: [["x"]] } } });
    const [g, b] = await Promise.all([good, bad]);
    expect(g).toMatchObject({ status: 200, body: { predictions: [{ doubled: [2, 2], b_plus_one: 2 }] } });
    expect(b.status).toBe(400);
  });
});
