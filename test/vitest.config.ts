import { defineConfig } from "vitest/config";

// End-to-end suite: one real `wrangler dev` stack (started by global-setup.ts) queried over HTTP by
// real clients (openai, ai + @databricks/ai-sdk-provider, @databricks/sdk-experimental).
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["e2e/**/*.test.ts", "infra/**/*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    // Endpoints deploy asynchronously through the local queue; a 2-core CI machine can be slow.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // The stack is shared; two workers keep a 2-core machine busy without starving wrangler.
    maxWorkers: 2,
  },
});
