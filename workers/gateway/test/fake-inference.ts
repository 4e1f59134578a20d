import path from "node:path";

/**
 * The contract-checking stand-in for the inference worker (fake-inference-worker.mjs) as a Miniflare
 * auxiliary worker, and the INFERENCE binding to its InferenceService entrypoint, as wrangler.toml binds
 * the real one. The real worker is tested behind the binding in vitest.inference.config.ts.
 */
export const fakeInference = {
  worker: {
    name: "fake-inference",
    modules: true,
    scriptPath: path.join(import.meta.dirname, "fake-inference-worker.mjs"),
    compatibilityDate: "2026-04-26",
  },
  binding: { name: "fake-inference", entrypoint: "InferenceService" },
};
