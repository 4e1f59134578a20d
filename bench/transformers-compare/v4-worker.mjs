// @huggingface/transformers 4.3 (ONNX Runtime Web 1.31) in workerd, for `pnpm bench:transformers`:
// exactly the inference worker's runtime setup (src/ort + src/transformers-flavor/runtime.ts).
import { loadTransformers } from "../../workers/inference/src/transformers-flavor/runtime.ts";
import { embeddingWorker, r2Reader } from "./serve.mjs";

export default embeddingWorker(async (env) => {
  const { pipeline } = await loadTransformers(r2Reader(env.ARTIFACTS));
  return pipeline("feature-extraction", env.MODEL_DIR, { device: "wasm", dtype: env.MODEL_DTYPE });
});
