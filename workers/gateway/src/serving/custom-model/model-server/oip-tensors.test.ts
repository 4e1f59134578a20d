import { parseSignature } from "@edgeserve/mlflow";
import { describe, expect, it } from "vitest";
import type { OipModelMetadata } from "../../../model-servers/oip-protocol";
import { scoringInputToTensors, tensorsToPredictions } from "./oip-tensors";

const columns = ["age", "bmi"];
const signature = parseSignature({
  inputs: JSON.stringify(columns.map((name) => ({ type: "double", name, required: true }))),
  outputs: JSON.stringify([{ type: "double", required: true }]),
});
const sklearnRuntime: OipModelMetadata = {
  inputs: [{ name: "input-0", datatype: "FP64", shape: [-1, 2] }],
  outputs: [{ name: "predict", datatype: "FP64", shape: [-1] }],
};

describe("scoring input → OIP v2 tensors", () => {
  const frame = {
    kind: "dataframe" as const,
    columns,
    rows: [
      [0.1, 0.2],
      [0.3, 1],
    ],
  };

  it("sends a dataframe as the one [N, columns] tensor a single-input server declares, with its datatype", () => {
    expect(scoringInputToTensors(frame, signature, sklearnRuntime)).toEqual([
      { name: "input-0", shape: [2, 2], datatype: "FP64", data: [0.1, 0.2, 0.3, 1] },
    ]);
  });

  it("without server metadata, sends one [N] tensor per column typed by the signature (1 stays FP64)", () => {
    expect(scoringInputToTensors(frame, signature, undefined)).toEqual([
      { name: "age", shape: [2], datatype: "FP64", data: [0.1, 0.3] },
      { name: "bmi", shape: [2], datatype: "FP64", data: [0.2, 1] },
    ]);
  });

  it("names per-column tensors after the server's inputs, and gives them the rank it declares", () => {
    const perColumn: OipModelMetadata = {
      inputs: [
        { name: "age", datatype: "FP32", shape: [-1, 1] },
        { name: "bmi", datatype: "FP64", shape: [-1] },
      ],
      outputs: [],
    };
    expect(scoringInputToTensors(frame, undefined, perColumn)).toEqual([
      { name: "age", shape: [2, 1], datatype: "FP32", data: [0.1, 0.3] },
      { name: "bmi", shape: [2], datatype: "FP64", data: [0.2, 1] },
    ]);
  });

  it("infers datatypes from the values when neither server nor signature says: integers INT64, text BYTES", () => {
    const mixed = { kind: "dataframe" as const, columns: ["n", "x", "s", "b"], rows: [[1, 1.5, "a", true]] };
    expect(scoringInputToTensors(mixed, undefined, undefined).map((t) => t.datatype)).toEqual([
      "INT64",
      "FP64",
      "BYTES",
      "BOOL",
    ]);
  });

  it("flattens an unnamed tensor row-major with its shape, typed by the tensor signature", () => {
    const tensorSignature = parseSignature({
      inputs: JSON.stringify([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 2, 2] } }]),
    });
    const value = [
      [
        [1, 2],
        [3, 4],
      ],
    ];
    expect(scoringInputToTensors({ kind: "tensor", value }, tensorSignature, undefined)).toEqual([
      { name: "input-0", shape: [1, 2, 2], datatype: "FP32", data: [1, 2, 3, 4] },
    ]);
  });

  it("sends named tensors under their names", () => {
    expect(scoringInputToTensors({ kind: "tensors", values: { a: [[1, 2]], b: ["x"] } }, undefined, undefined)).toEqual(
      [
        { name: "a", shape: [1, 2], datatype: "INT64", data: [1, 2] },
        { name: "b", shape: [1], datatype: "BYTES", data: ["x"] },
      ],
    );
  });

  it("refuses ragged tensors and mixed values with a 400", () => {
    expect(() => scoringInputToTensors({ kind: "tensor", value: [[1, 2], [3]] }, undefined, undefined)).toThrow(
      /ragged/,
    );
    expect(() =>
      scoringInputToTensors({ kind: "dataframe", columns: ["x"], rows: [[1], ["a"]] }, undefined, undefined),
    ).toThrow(/mix types/);
  });
});

describe("OIP v2 outputs → predictions", () => {
  it("answers one output as its array, reshaped", () => {
    expect(tensorsToPredictions([{ name: "predict", shape: [3], datatype: "FP64", data: [1.5, 2, 3] }])).toEqual([
      1.5, 2, 3,
    ]);
    expect(tensorsToPredictions([{ name: "p", shape: [2, 2], datatype: "FP32", data: [1, 2, 3, 4] }])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("answers several outputs as {name: array}, and reads nested data as row-major", () => {
    expect(
      tensorsToPredictions([
        { name: "label", shape: [2], datatype: "INT64", data: [0, 1] },
        {
          name: "proba",
          shape: [2, 2],
          datatype: "FP64",
          data: [
            [0.9, 0.1],
            [0.2, 0.8],
          ],
        },
      ]),
    ).toEqual({
      label: [0, 1],
      proba: [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
    });
  });

  it("throws on what is not a tensor or does not fit its shape", () => {
    expect(() => tensorsToPredictions(undefined)).toThrow(/no outputs/);
    expect(() => tensorsToPredictions([{ name: "p", shape: [3], datatype: "FP64", data: [1] }])).toThrow(
      /1 values for shape \[3\]/,
    );
    expect(() => tensorsToPredictions([{ name: "p", shape: [1], datatype: "FLOAT", data: [1] }])).toThrow(
      /not a tensor/,
    );
  });
});
