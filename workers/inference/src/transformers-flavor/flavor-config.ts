import { ApiError } from "@edgeserve/api/errors";
import { z } from "zod";

export const SUPPORTED_TASKS = ["feature-extraction", "text-classification", "token-classification"] as const;
export type Task = (typeof SUPPORTED_TASKS)[number];

/**
 * The `transformers` section of an MLmodel that Edgeserve runs with transformers.js. `task` is MLflow's
 * field; the `edgeserve_*` fields are ours (see docs/custom-models/huggingface.md).
 */
const flavorConfigSchema = z.object({
  task: z.string(),
  /** Folder (inside the MLflow model dir) with config.json, tokenizer.json, tokenizer_config.json, onnx/. */
  edgeserve_files_dir: z.string().default("model"),
  /** fp32 reads onnx/model.onnx; q8 reads onnx/model_quantized.onnx. */
  edgeserve_dtype: z.enum(["fp32", "fp16", "q8", "int8", "uint8", "q4"]).default("fp32"),
  /** feature-extraction only. */
  edgeserve_pooling: z.enum(["mean", "cls", "none"]).default("mean"),
  edgeserve_normalize: z.boolean().default(true),
});

export type TransformersConfig = z.infer<typeof flavorConfigSchema> & { task: Task };

export function parseTransformersConfig(raw: Record<string, unknown>): TransformersConfig {
  const parsed = flavorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError("INVALID_STATE", `The model's transformers flavor is invalid at '${issue.path.join(".")}': ${issue.message}`);
  }
  const task = (SUPPORTED_TASKS as readonly string[]).includes(parsed.data.task) ? (parsed.data.task as Task) : undefined;
  if (!task) {
    throw new ApiError("NOT_IMPLEMENTED", `Task '${parsed.data.task}' is not served in-worker; supported: ${SUPPORTED_TASKS.join(", ")}.`);
  }
  return { ...parsed.data, task };
}
