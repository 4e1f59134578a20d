import { ApiError } from "@edgeserve/api/errors";
import { z } from "zod";

const TRANSFORMERS_TASKS = ["feature-extraction", "text-classification", "token-classification"] as const;
type TransformersTask = (typeof TRANSFORMERS_TASKS)[number];

/**
 * transformers.js reads `onnx/model<suffix>.onnx` for a dtype (its DEFAULT_DTYPE_SUFFIX_MAPPING, for the dtypes we
 * accept).
 */
const WEIGHTS_SUFFIX = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
} as const;

/**
 * The `transformers` section of an MLmodel that Edgeserve runs with transformers.js. `task` is MLflow's
 * field; the `edgeserve_*` fields are ours (see docs/custom-models/huggingface.md).
 */
const flavorConfigSchema = z.object({
  task: z.string(),
  /** Folder (inside the MLflow model dir) with config.json, tokenizer.json, tokenizer_config.json, onnx/. */
  edgeserve_files_dir: z.string().default("model"),
  /** fp32 reads onnx/model.onnx; q8 reads onnx/model_quantized.onnx. */
  edgeserve_dtype: z
    .enum(Object.keys(WEIGHTS_SUFFIX) as [keyof typeof WEIGHTS_SUFFIX, ...(keyof typeof WEIGHTS_SUFFIX)[]])
    .default("fp32"),
  /** feature-extraction only. */
  edgeserve_pooling: z.enum(["mean", "cls", "none"]).default("mean"),
  edgeserve_normalize: z.boolean().default(true),
});

export type TransformersConfig = z.infer<typeof flavorConfigSchema> & { task: TransformersTask };

/**
 * Reads the flavor section; INVALID_STATE for a malformed one, NOT_IMPLEMENTED for a task transformers.js
 * does not run here. The gateway calls it when deploying, the inference worker when loading.
 */
export function parseTransformersConfig(raw: Record<string, unknown>): TransformersConfig {
  const parsed = flavorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError(
      "INVALID_STATE",
      `The model's transformers flavor is invalid at '${issue.path.join(".")}': ${issue.message}`,
    );
  }
  const task = (TRANSFORMERS_TASKS as readonly string[]).includes(parsed.data.task)
    ? (parsed.data.task as TransformersTask)
    : undefined;
  if (!task) {
    throw new ApiError(
      "NOT_IMPLEMENTED",
      `Task '${parsed.data.task}' is not served in-worker; supported: ${TRANSFORMERS_TASKS.join(", ")}.`,
    );
  }
  return { ...parsed.data, task };
}

/**
 * Whether transformers.js reads `path` (relative to `edgeserve_files_dir`) for this config: every file
 * of the folder except the ONNX weights of other dtypes (a Hub folder often ships several).
 */
export function isReadByTransformers(config: TransformersConfig, path: string): boolean {
  if (!path.startsWith("onnx/")) return true;
  // `model.onnx` and its external data (`model.onnx_data`, `model.onnx_data_1`, …).
  return path.startsWith(`onnx/model${WEIGHTS_SUFFIX[config.edgeserve_dtype]}.onnx`);
}
