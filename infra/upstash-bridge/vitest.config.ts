import { defineConfig } from "vitest/config";

// The local Upstash bridge (infra/upstash-bridge) against a real redis-server, in plain Node.
export default defineConfig({
  test: {
    name: "infra",
    environment: "node",
    include: ["*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Its own group: run with other projects (e2e sets maxWorkers), vitest requires distinct groups.
    sequence: { groupOrder: 1 },
  },
});
