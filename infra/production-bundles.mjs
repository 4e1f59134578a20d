// The bundles `wrangler deploy` uploads (minified, no dev middleware), built with `--dry-run` into dist/:
// what `pnpm build` makes and what `pnpm serve` and the benchmark run on workerd.
import fs from "node:fs";
import path from "node:path";
import { ensureConsoleBuilt } from "./console-build.mjs";
import { repoRoot, runWrangler } from "./local-stack.mjs";

export const BUNDLES = {
  gateway: { config: "wrangler.toml", outdir: path.join(repoRoot, "dist/gateway") },
  inference: { config: "workers/inference/wrangler.toml", outdir: path.join(repoRoot, "dist/inference") },
};

/**
 * Builds the production bundles of `workers` (both by default); `stateDir` keeps wrangler's own files out of
 * ~/.config. Returns what wrangler printed for each (its upload sizes).
 */
export async function buildProductionBundles({ stateDir, workers = Object.keys(BUNDLES) }) {
  // The gateway's bundle serves the console's files (wrangler.toml [assets]): wrangler wants them built first.
  if (workers.includes("gateway")) await ensureConsoleBuilt();
  const printed = {};
  for (const worker of workers) {
    const { config, outdir } = BUNDLES[worker];
    fs.rmSync(outdir, { recursive: true, force: true });
    printed[worker] = await runWrangler(["deploy", "--dry-run", "-c", config, "--outdir", outdir], { stateDir });
  }
  return printed;
}

/**
 * Miniflare's module list for a bundle directory: the entry and the WebAssembly modules it imports (named
 * by their file, as the bundle's import specifiers are).
 */
export function bundleModules(outdir) {
  const wasm = fs.readdirSync(outdir).filter((f) => f.endsWith(".wasm"));
  return [
    { type: "ESModule", path: path.join(outdir, "index.js") },
    ...wasm.map((f) => ({ type: "CompiledWasm", path: path.join(outdir, f) })),
  ];
}
