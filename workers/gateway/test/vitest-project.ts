import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { ensureConsoleBuilt } from "../../../infra/console-build.mjs";

const gatewayDir = path.join(import.meta.dirname, "..");
const root = path.join(gatewayDir, "../..");

/** The gateway's secrets in the tests (`wrangler secret put` in production). */
export const TEST_SECRETS = {
  EDGESERVE_ADMIN_TOKEN: "dapi-test-admin-token",
  EDGESERVE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
};

/** The npm packages (as the gateway and its workspace packages import them) that vite prebundles for workerd. */
const PREBUNDLED_DEPENDENCIES = [
  "hono",
  "hono/http-exception",
  "zod",
  "drizzle-orm",
  "drizzle-orm/sqlite-core",
  "drizzle-orm/d1",
  "jose",
  "@upstash/ratelimit",
  "@upstash/redis/cloudflare",
  "aws4fetch",
  "eventsource-parser",
  "libphonenumber-js/min",
  "@scalar/hono-api-reference",
  "fast-check",
];

/**
 * A vitest project running the gateway inside workerd with the real bindings of wrangler.toml.
 * Three projects use it: `gateway` (the INFERENCE binding answered by a contract-checking stand-in, so
 * the gateway's own checks are tested in isolation), `gateway-inference` (the real inference worker
 * as an auxiliary worker, for tests named `*.with-inference.test.ts`) and `gateway-isolates` (a second
 * gateway over the same storage, for tests named `*.two-isolates.test.ts`).
 * Every setting is production's (wrangler.toml's vars, the cache TTL included) but the test secrets.
 * `miniflare` may be a function: it is then called only when the project runs (vitest loads every
 * project's config on every run), so what it builds is not built for runs of other projects.
 */
export async function gatewayProject(options: {
  name: string;
  include: string[];
  exclude?: string[];
  maxWorkers?: number;
  miniflare: Record<string, unknown> | (() => Record<string, unknown>);
}) {
  // wrangler.toml's [assets] directory (the console) must exist before the pool reads the config.
  await ensureConsoleBuilt({ quiet: true });
  const migrations = await readD1Migrations(path.join(root, "packages/db/migrations"));
  return defineConfig({
    plugins: [
      cloudflareTest(() => ({
        main: path.join(gatewayDir, "src/index.ts"),
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ...TEST_SECRETS,
          },
          ...(typeof options.miniflare === "function" ? options.miniflare() : options.miniflare),
        },
      })),
    ],
    test: {
      name: options.name,
      root: gatewayDir,
      include: options.include,
      exclude: [...(options.exclude ?? []), "**/node_modules/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
      ...(options.maxWorkers ? { maxWorkers: options.maxWorkers } : {}),
      // Each test file starts a workerd that loads the whole worker through vite's module runner, one module per
      // round trip: the dependencies prebundled (one module each instead of hundreds) make that start shorter.
      deps: { optimizer: { ssr: { enabled: true, include: PREBUNDLED_DEPENDENCIES } } },
    },
  });
}
