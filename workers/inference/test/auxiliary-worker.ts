import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const workerDir = path.join(import.meta.dirname, "..");

/**
 * The inference worker as a Miniflare auxiliary worker, for other workers' vitest configs (the gateway's
 * INFERENCE service binding). Auxiliary workers are not bundled by vitest, so this runs
 * `wrangler deploy --dry-run` once per test run and loads the bundle (with ONNX Runtime's .wasm) as modules.
 */
export function inferenceAuxiliaryWorker() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-inference-aux-"));
  const wrangler = createRequire(path.join(workerDir, "package.json")).resolve("wrangler/bin/wrangler.js");
  const result = spawnSync(
    process.execPath,
    [wrangler, "deploy", "--dry-run", "--outdir", outdir, "-c", path.join(workerDir, "wrangler.toml")],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        XDG_CONFIG_HOME: outdir,
        WRANGLER_LOG_PATH: outdir,
      },
    },
  );
  if (result.status !== 0) throw new Error(`building the inference worker failed:\n${result.stdout}\n${result.stderr}`);
  const files = fs.readdirSync(outdir).filter((f) => f !== "index.js" && /\.(m?js|wasm)$/.test(f));
  return {
    name: "edgeserve-inference",
    modulesRoot: outdir,
    modules: ["index.js", ...files].map((f) => ({
      type: f.endsWith(".wasm") ? ("CompiledWasm" as const) : ("ESModule" as const),
      path: path.join(outdir, f),
    })),
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["enable_request_signal"],
    // The same bucket as the gateway's ARTIFACTS binding.
    r2Buckets: { ARTIFACTS: "edgeserve-artifacts" },
    bindings: { EDGESERVE_INFERENCE_CACHE_MB: "96", EDGESERVE_INFERENCE_BATCHING: "true" },
  };
}
