/** Bindings of the inference worker (workers/inference/wrangler.toml). */
export interface InferenceEnv {
  /** Model files: MLflow artifacts and the built-in models under `builtin/`. */
  ARTIFACTS: R2Bucket;
}
