import { defineConfig } from "vitest/config";

// The console's pure modules (no DOM), in Node: Node 20 has fetch, streams, TextDecoderStream, atob and btoa.
export default defineConfig({ test: { name: "console", environment: "node", include: ["src/**/*.test.ts"] } });
