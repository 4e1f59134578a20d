import { defineConfig } from "vitest/config";

// Unit tests of @edgeserve/sql (rewriting, retry, dedupe, the worker bridge) in plain Node.
export default defineConfig({
  test: {
    name: "sql",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
