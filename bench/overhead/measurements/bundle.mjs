// The gateway bundle production uploads (`wrangler deploy --dry-run`): built once per run as `pnpm build` and
// `pnpm serve` build it (infra/production-bundles.mjs, into dist/gateway), measured (raw and gzip -9 size,
// what wrangler reports) and started by the workerd targets.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { BUNDLES, buildProductionBundles } from "../../../infra/production-bundles.mjs";
import { BUNDLE } from "../settings.mjs";

/**
 * Builds the gateway's bundle (wrangler's own files in `runDir`); returns its path and its sizes. With
 * BENCH_BUNDLE=<dir>/index.js, that earlier build is measured instead (say, to profile it).
 */
export async function buildBundle(runDir) {
  const tBuild = Date.now();
  const prebuilt = BUNDLE ? path.resolve(BUNDLE) : null;
  const { gateway: buildOut } = prebuilt
    ? { gateway: "" }
    : await buildProductionBundles({ stateDir: path.join(runDir, "wrangler-build"), workers: ["gateway"] });
  const bundlePath = prebuilt ?? path.join(BUNDLES.gateway.outdir, "index.js");
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
