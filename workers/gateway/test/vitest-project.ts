import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const gatewayDir = path.join(import.meta.dirname, "..");
const root = path.join(gatewayDir, "../..");

/**
 * A vitest project running the gateway inside workerd with the real bindings of wrangler.toml.
 * Two projects use it: `gateway` (the INFERENCE binding answered by a contract-checking stand-in, so
 * the gateway's own checks are tested in isolation) and `gateway-inference` (the real inference worker
 * as an auxiliary worker, for tests named `*.with-inference.test.ts`).
 */
export async function gatewayProject(options: { name: string; include: string[]; exclude?: string[]; miniflare: Record<string, unknown> }) {
  const migrations = await readD1Migrations(path.join(root, "packages/db/migrations"));
  return defineConfig({
    plugins: [
      cloudflareTest({
        main: path.join(gatewayDir, "src/index.ts"),
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            EDGESERVE_ADMIN_TOKEN: "dapi-test-admin-token",
            EDGESERVE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            EDGESERVE_CACHE_TTL_MS: "0",
          },
          ...options.miniflare,
        },
      }),
    ],
    test: {
      name: options.name,
      root: gatewayDir,
      include: options.include,
      exclude: [...(options.exclude ?? []), "**/node_modules/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
    },
  });
}
