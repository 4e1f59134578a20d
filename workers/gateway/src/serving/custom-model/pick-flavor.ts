import { ApiError } from "@edgeserve/api";
import { type MlModel, type ModelRef, parseTransformersConfig } from "@edgeserve/mlflow";

/** The flavors the inference worker runs, in order of preference. */
const RUNNABLE_FLAVORS = ["onnx", "transformers"] as const;

/**
 * Picks the flavor the inference worker runs: onnx if present, else transformers (with a task it runs);
 * else 501 naming what the model has. The deployment applies it, so a model no flavor of which runs never goes live.
 */
export function pickFlavor(model: MlModel, label: string): Pick<ModelRef, "flavor" | "flavorConfig"> {
  for (const flavor of RUNNABLE_FLAVORS) {
    const config = model.flavors[flavor];
    if (!config) continue;
    if (flavor === "transformers") {
      try {
        parseTransformersConfig(config);
      } catch (e) {
        if (e instanceof ApiError)
          throw new ApiError(e.code, `Model ${label} cannot run with its transformers flavor: ${e.message}`);
        throw e;
      }
    }
    return { flavor, flavorConfig: config };
  }
  throw new ApiError(
    "NOT_IMPLEMENTED",
    `Model ${label} has flavors [${Object.keys(model.flavors).join(", ")}]; ` +
      `this gateway serves only ${RUNNABLE_FLAVORS.join(" and ")} models.`,
  );
}
