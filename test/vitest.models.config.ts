import { defineConfig } from "vitest/config";

// End-to-end for in-worker models (custom models published to the registry and served by the inference
// worker), on a stack of their own and one file at a time: loading a real-size model blocks the workerd
// thread that `wrangler dev` runs both workers on for seconds, which would fail other suites' requests.
export default defineConfig({
  test: {
    name: "e2e-models",
    environment: "node",
    include: ["e2e/custom-models*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
    maxWorkers: 1,
  },
});
