import { ApiError } from "@edgeserve/api/errors";
import type { ModelRef } from "./inference-protocol";
import { isReadByTransformers, parseTransformersConfig } from "./transformers-flavor";

/** The ONNX file of an `onnx` flavor section (MLflow's `data` field; `model.onnx` when absent). */
export function onnxModelFile(flavorConfig: Record<string, unknown>): string {
  return typeof flavorConfig.data === "string" ? flavorConfig.data : "model.onnx";
}

/** A path inside a model directory without `.` and empty parts; `..` is refused (it would leave the directory). */
export function modelRelativePath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes(".."))
    throw new ApiError("INVALID_STATE", `Model file path '${path}' leaves the model directory.`);
  return parts.join("/");
}

/**
 * The files (relative to the model directory) the inference worker reads to run a model: a prefix to
 * list and a filter over the listed paths. What the deployment sums to check the worker's memory budget.
 */
export function filesReadToRun(model: Pick<ModelRef, "flavor" | "flavorConfig">): {
  prefix: string;
  includes(path: string): boolean;
} {
  if (model.flavor === "onnx") {
    const file = modelRelativePath(onnxModelFile(model.flavorConfig));
    return { prefix: file, includes: (path) => path === file };
  }
  const config = parseTransformersConfig(model.flavorConfig);
  const folder = modelRelativePath(config.edgeserve_files_dir);
  const dir = folder ? `${folder}/` : "";
  return {
    prefix: dir,
    includes: (path) => path.startsWith(dir) && isReadByTransformers(config, path.slice(dir.length)),
  };
}
