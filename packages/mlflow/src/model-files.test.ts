import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { filesReadToRun, modelRelativePath, onnxModelFile } from "./model-files";

const listing = [
  "MLmodel",
  "model.onnx",
  "model.pkl",
  "model/config.json",
  "model/tokenizer.json",
  "model/onnx/model.onnx",
  "model/onnx/model.onnx_data",
  "model/onnx/model_quantized.onnx",
  "model/onnx/model_fp16.onnx",
  "other/model.onnx",
];
const read = (model: Parameters<typeof filesReadToRun>[0]) => {
  const files = filesReadToRun(model);
  return listing.filter((p) => p.startsWith(files.prefix) && files.includes(p));
};

describe("filesReadToRun", () => {
  it("onnx: the flavor's data file only", () => {
    expect(read({ flavor: "onnx", flavorConfig: { data: "model.onnx" } })).toEqual(["model.onnx"]);
    expect(read({ flavor: "onnx", flavorConfig: { data: "./other/model.onnx" } })).toEqual(["other/model.onnx"]);
    expect(onnxModelFile({})).toBe("model.onnx");
  });

  it("transformers: the files folder, with only the configured dtype's weights", () => {
    expect(read({ flavor: "transformers", flavorConfig: { task: "feature-extraction" } })).toEqual([
      "model/config.json",
      "model/tokenizer.json",
      "model/onnx/model.onnx",
      "model/onnx/model.onnx_data",
    ]);
    expect(
      read({ flavor: "transformers", flavorConfig: { task: "feature-extraction", edgeserve_dtype: "q8" } }),
    ).toEqual(["model/config.json", "model/tokenizer.json", "model/onnx/model_quantized.onnx"]);
  });

  it("refuses a task the worker does not run and a path leaving the directory", () => {
    expect(() => filesReadToRun({ flavor: "transformers", flavorConfig: { task: "text-generation" } })).toThrow(
      ApiError,
    );
    expect(() => filesReadToRun({ flavor: "transformers", flavorConfig: { task: "text-generation" } })).toThrow(
      "Task 'text-generation' is not served in-worker",
    );
    expect(() => modelRelativePath("../secrets/model.onnx")).toThrow("leaves the model directory");
  });
});
