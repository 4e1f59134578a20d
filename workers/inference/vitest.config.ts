import fs from "node:fs/promises";
import path from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { modelPackageBinding } from "./test/test-support.mjs";

const fixtures = path.join(import.meta.dirname, "test/fixtures");
const repoRoot = path.join(import.meta.dirname, "../..");

// Tests run inside workerd with the bindings of workers/inference/wrangler.toml. R2 starts empty per test
// file; tests copy model files into it from test/fixtures through FIXTURES, and the built-in encoder's files
// from its npm package through MODEL_PACKAGE: bindings answered here in Node.
export default defineConfig({
  // The repo root, not this folder: pool-workers loads an imported .wasm (ONNX Runtime) by joining the root
  // and vite's module id, which only works when the file (in the root's node_modules/.pnpm) is under the root.
  root: repoRoot,
  resolve: {
    // As in wrangler.toml: transformers.js gets ONNX Runtime's CPU build, the same module the onnx flavor uses.
    alias: { "onnxruntime-web/webgpu": "onnxruntime-web/wasm" },
  },
  plugins: [
    cloudflareTest({
      main: path.join(import.meta.dirname, "src/index.ts"),
      wrangler: { configPath: path.join(import.meta.dirname, "wrangler.toml") },
      miniflare: {
        serviceBindings: {
          MODEL_PACKAGE: modelPackageBinding,
          async FIXTURES(request: Request) {
            const relative = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, "");
            const file = path.resolve(fixtures, relative);
            if (!file.startsWith(fixtures + path.sep)) return new Response(null, { status: 400 });
            try {
              return new Response(await fs.readFile(file));
            } catch {
              return new Response(null, { status: 404 });
            }
          },
        },
      },
    }),
  ],
  test: {
    name: "inference",
    root: repoRoot,
    include: ["workers/inference/src/**/*.test.ts", "workers/inference/test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
