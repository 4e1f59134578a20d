import { defineConfig } from "vitest/config";

// End-to-end suite: one real `wrangler dev` stack (started by global-setup.ts) queried over HTTP by
// real clients (openai, ai + @databricks/ai-sdk-provider, @databricks/sdk-experimental).
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["e2e/**/*.test.ts", "infra/**/*.test.ts"],
    // In-worker model and publishing suites run in vitest.models.config.ts (their own stack, one file at a time).
    exclude: ["e2e/custom-models*.test.ts", "infra/publish-model.test.ts", "**/node_modules/**"],
    globalSetup: ["./global-setup.ts"],
    // Endpoints deploy asynchronously through the local queue; a 2-core CI machine can be slow.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // The stack is shared; two workers keep a 2-core machine busy without starving wrangler.
    maxWorkers: 2,
  },
});
