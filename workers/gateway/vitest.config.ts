import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { inferenceAuxiliaryWorker } from "../inference/test/auxiliary-worker";

const root = path.join(import.meta.dirname, "../..");
const migrations = await readD1Migrations(path.join(root, "packages/db/migrations"));

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
        // The INFERENCE service binding (root wrangler.toml) reaches the real inference worker.
        workers: [inferenceAuxiliaryWorker()],
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
