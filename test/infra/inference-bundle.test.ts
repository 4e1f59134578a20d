/**
 * The inference worker as wrangler bundles it (what `wrangler dev` and `pnpm build` run) holds ONE ONNX
 * Runtime: the ESM build with the Emscripten glue inside, shared by the onnx flavor and transformers.js.
 * A second copy (the CommonJS build, which wrangler's require.resolve of an `onnxruntime-web/wasm` alias picks)
 * is never configured for workerd and fails every transformers model with
 * "No such module ort-wasm-simd-threaded.mjs".
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-inference-bundle-"));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe("the inference worker bundle", () => {
  it("contains exactly one ONNX Runtime build, the one with the WASM glue embedded", { timeout: 300_000 }, async () => {
    const wrangler = path.join(repoRoot, "node_modules/wrangler/bin/wrangler.js");
    await run(
      process.execPath,
      [wrangler, "deploy", "--dry-run", "-c", "workers/inference/wrangler.toml", "--outdir", outdir],
      {
        cwd: repoRoot,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
        maxBuffer: 10 * 1024 * 1024,
      },
    );
    const bundle = fs.readFileSync(path.join(outdir, "index.js"), "utf8");
    const builds = new Set(bundle.match(/node_modules\/onnxruntime-web\/dist\/ort[\w.]*\.(?:mjs|js)/g));
    expect([...builds]).toEqual(["node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs"]);
  });
});
