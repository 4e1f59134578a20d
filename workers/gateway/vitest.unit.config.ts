import path from "node:path";
import { defineConfig } from "vitest/config";
import { WORKERD_TESTS } from "./test/test-kinds.ts";

// The gateway's unit tests that need no binding and no worker (named *.test.ts): plain Node, no workerd to
// start and no D1 to migrate per file. A file that reaches a `cloudflare:*` module fails loudly here
// (test/workerd-only.ts) rather than running without its bindings.
export default defineConfig({
  resolve: {
    alias: [{ find: /^cloudflare:.*$/, replacement: path.join(import.meta.dirname, "test/workerd-only.ts") }],
  },
  test: {
    name: "gateway-unit",
    root: import.meta.dirname,
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: [...WORKERD_TESTS, "**/node_modules/**"],
  },
});
