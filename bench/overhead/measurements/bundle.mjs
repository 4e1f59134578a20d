// The gateway bundle production uploads (`wrangler deploy --dry-run`): built once per run, measured
// (raw and gzip -9 size, what wrangler reports) and started by the workerd targets.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { runWrangler } from "../../../infra/local-stack.mjs";

/** Builds the bundle into `runDir`; returns its path and its sizes. */
export async function buildBundle(runDir) {
  const outDir = path.join(runDir, "bundle");
  const tBuild = Date.now();
  const buildOut = await runWrangler(["deploy", "--dry-run", "--outdir", outDir], {
    stateDir: path.join(runDir, "wrangler-build"),
  });
  const bundlePath = path.join(outDir, "index.js");
  const raw = fs.readFileSync(bundlePath);
  const m = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(buildOut);
  const bundle = {
    rawBytes: raw.length,
    gzipBytes: zlib.gzipSync(raw, { level: 9 }).length,
    wranglerReportedKiB: m ? { total: Number(m[1]), gzip: Number(m[2]) } : null,
    buildMs: Date.now() - tBuild,
  };
  return { bundlePath, bundle };
}
