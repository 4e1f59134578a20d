import path from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { modelPackageBinding } from "./test/test-support.mjs";

// Tests run inside workerd with the bindings of workers/inference/wrangler.toml. R2 starts empty per test file,
// so tests seed it from the npm package through MODEL_PACKAGE, a binding answered here in Node.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: path.join(import.meta.dirname, "src/index.ts"),
      wrangler: { configPath: path.join(import.meta.dirname, "wrangler.toml") },
      miniflare: {
        serviceBindings: { MODEL_PACKAGE: modelPackageBinding },
      },
    }),
  ],
  test: {
    name: "inference",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
