import { defineConfig } from "vitest/config";

// One project per package (each with its tests beside the code) plus the end-to-end suite.
export default defineConfig({
  test: {
    projects: [
      "workers/gateway",
      "workers/gateway/vitest.unit.config.ts",
      "workers/gateway/vitest.inference.config.ts",
      "workers/gateway/vitest.isolates.config.ts",
      "workers/inference",
      "packages/api",
      "packages/db",
      "packages/mlflow",
      "packages/console",
      "packages/sdk",
      "packages/cli",
      "infra/upstash-bridge",
      "test",
      "test/vitest.models.config.ts",
      "test/vitest.browser.config.ts",
      "test/fixtures",
    ],
  },
});
