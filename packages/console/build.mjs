#!/usr/bin/env node
// Builds the console into packages/console/dist (what the gateway serves through its ASSETS binding) and prints
// the app's size: `pnpm --filter @edgeserve/console build`. infra/console-build.mjs runs it when dist is stale.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { describeSize, measureGzipSize } from "./gzip-size.mjs";

const consoleDir = import.meta.dirname;

export async function buildConsole({ quiet = false } = {}) {
  await build({
    root: consoleDir,
    configFile: path.join(consoleDir, "vite.config.ts"),
    logLevel: quiet ? "warn" : "info",
  });
  const size = measureGzipSize(path.join(consoleDir, "dist"));
  console.log(`[console] built packages/console/dist: ${describeSize(size)}`);
  return size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildConsole();
}
