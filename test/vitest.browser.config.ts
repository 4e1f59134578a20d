import { defineConfig } from "vitest/config";

// The console in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the same local
// stack as the e2e suite (global-setup.ts: wrangler dev serving the console, the mock upstreams).
export default defineConfig({
  test: {
    name: "browser",
    environment: "node",
    include: ["browser/**/*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    // Deployments go through the local queue and pages wait on them; a 2-core CI machine can be slow.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // One browser at a time next to wrangler on 2 cores.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
