import { defineConfig } from "vitest/config";

// The console's pure logic (formatting, config building, validation helpers), in Node: tests beside the code.
// The pages themselves are tested in a real Chromium (test/browser).
export default defineConfig({
  test: {
    name: "console",
    root: import.meta.dirname,
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
