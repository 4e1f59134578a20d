import { defineConfig } from "vitest/config";

// End-to-end for in-worker models (custom models published to the registry and served by the inference
// worker) and for publishing itself (a 210 MiB multipart upload), on a stack of their own and one file at a
// time: loading a real-size model or writing 64 MiB parts to local R2 blocks the workerd thread that
// `wrangler dev` runs both workers on for seconds, and its proxy then drops other suites' POSTs in flight.
export default defineConfig({
  test: {
    name: "e2e-models",
    environment: "node",
    include: ["e2e/custom-models*.test.ts", "infra/publish-model.test.ts"],
    globalSetup: ["./global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
    maxWorkers: 1,
  },
});
