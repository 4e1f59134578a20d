import { ApiError } from "@edgeserve/api";
import type { MlModel, ModelRef } from "@edgeserve/mlflow";

/** The flavors the inference worker runs, in order of preference. */
const RUNNABLE_FLAVORS = ["onnx", "transformers"] as const;

/** Picks the flavor the inference worker runs: onnx if present, else transformers; else 501 naming what the model has. */
export function pickFlavor(model: MlModel, label: string): Pick<ModelRef, "flavor" | "flavorConfig"> {
  for (const flavor of RUNNABLE_FLAVORS) {
    const config = model.flavors[flavor];
    if (config) return { flavor, flavorConfig: config };
  }
  throw new ApiError(
    "NOT_IMPLEMENTED",
    `Model ${label} has flavors [${Object.keys(model.flavors).join(", ")}]; this gateway serves only ${RUNNABLE_FLAVORS.join(" and ")} models.`,
  );
}
