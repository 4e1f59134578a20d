import { defineConfig } from "vitest/config";

// The console's logic and components, tests beside the code. `*.test.ts`: pure logic in Node. `*.test.tsx`:
// components rendered into happy-dom (each file says `@vitest-environment happy-dom`) with @testing-library/preact.
// Whole pages against the real stack are tested in a real Chromium (test/browser).
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    name: "console",
    root: import.meta.dirname,
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
