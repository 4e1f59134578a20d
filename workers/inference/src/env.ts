/** Bindings of the inference worker (workers/inference/wrangler.toml). */
export interface InferenceEnv {
  /** The same bucket as the gateway's: MLflow model directories. */
  ARTIFACTS: R2Bucket;
  /**
   * Megabytes of model files an isolate keeps loaded before evicting the least recently used, and the largest
   * model deployments accept (default 96).
   */
  EDGESERVE_INFERENCE_CACHE_MB?: string;
  /** "false" turns off micro-batching of concurrent requests for the same ONNX model (default on). */
  EDGESERVE_INFERENCE_BATCHING?: string;
}
