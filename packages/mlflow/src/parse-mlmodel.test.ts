import { describe, expect, it } from "vitest";
import { MlModelError, parseMlModel } from "./parse-mlmodel";

// The shape `mlflow.onnx.log_model(..., signature=..., input_example=...)` writes (MLflow 2.x).
const IRIS_MLMODEL = `artifact_path: model
flavors:
  onnx:
    code: null
    data: model.onnx
    onnx_version: 1.16.0
    providers:
    - CUDAExecutionProvider
    - CPUExecutionProvider
  python_function:
    data: model.onnx
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.onnx
    python_version: 3.11.7
mlflow_version: 2.14.1
model_size_bytes: 1234
model_uuid: 7d3c2f4c1a6b4e0a9f0e5d1c2b3a4f5e
run_id: 0a1b2c3d4e5f
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
    "double", "name": "sepal width (cm)", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
utc_time_created: '2024-06-01 10:00:00.000000'
`;

describe("parseMlModel", () => {
  it("reads flavors, signature, input example and identity", () => {
    const model = parseMlModel(IRIS_MLMODEL);
    expect(Object.keys(model.flavors)).toEqual(["onnx", "python_function"]);
    expect(model.flavors.onnx).toMatchObject({ data: "model.onnx", onnx_version: "1.16.0" });
    expect(model.signature?.inputs).toEqual({
      kind: "columns",
      columns: [
        { name: "sepal length (cm)", type: { kind: "scalar", type: "double" }, required: true },
        { name: "sepal width (cm)", type: { kind: "scalar", type: "double" }, required: true },
      ],
    });
    expect(model.signature?.outputs).toEqual({ kind: "tensors", tensors: [{ dtype: "int64", shape: [-1] }] });
    expect(model.signature?.params).toEqual([{ name: "threshold", type: "double", default: 0.5, shape: null }]);
    expect(model.inputExample).toEqual({
      artifactPath: "input_example.json",
      type: "dataframe",
      pandasOrient: "split",
    });
    expect(model).toMatchObject({
      modelUuid: "7d3c2f4c1a6b4e0a9f0e5d1c2b3a4f5e",
      mlflowVersion: "2.14.1",
      runId: "0a1b2c3d4e5f",
    });
  });

  it("accepts a model without a signature", () => {
    const model = parseMlModel("flavors:\n  transformers:\n    task: text-classification\n");
    expect(model.signature).toBeUndefined();
    expect(model.flavors.transformers).toEqual({ task: "text-classification" });
  });

  it.each([
    ["flavors: [unclosed", /not valid YAML/],
    ["- a list", /must be a YAML mapping/],
    ["artifact_path: model\n", /declares no flavors/],
    [
      "flavors:\n  onnx: {}\nsignature:\n  inputs: 'not json'\n",
      /invalid signature: signature.inputs is not valid JSON/,
    ],
    ["flavors:\n  onnx: {}\nflavors:\n  sklearn: {}\n", /not valid YAML/],
  ])("rejects %j", (text, message) => {
    expect(() => parseMlModel(text)).toThrow(MlModelError);
    expect(() => parseMlModel(text)).toThrow(message);
  });
});
