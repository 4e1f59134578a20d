import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { inferenceWorkerOptions, modelPackageBinding } from "../inference/test/test-support.mjs";

const root = path.join(import.meta.dirname, "../..");
const migrations = await readD1Migrations(path.join(root, "packages/db/migrations"));
// The real inference worker behind the INFERENCE service binding (and its model files, to seed R2 with).
const inferenceWorker = await inferenceWorkerOptions(path.join(root, "node_modules/.cache/edgeserve-tests"));

// Unit and integration tests run inside workerd with the real bindings of wrangler.toml.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: path.join(import.meta.dirname, "src/index.ts"),
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          EDGESERVE_ADMIN_TOKEN: "dapi-test-admin-token",
          EDGESERVE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
          EDGESERVE_CACHE_TTL_MS: "0",
        },
        workers: [inferenceWorker],
        serviceBindings: { MODEL_PACKAGE: modelPackageBinding },
      },
    }),
  ],
  test: {
    name: "gateway",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["./test/apply-migrations.ts"],
    testTimeout: 30_000,
  },
});
