// The console (packages/console) is served by the gateway from packages/console/dist (wrangler.toml [assets]),
// and wrangler refuses to start when that directory is missing: every path that runs the gateway (setup,
// wrangler dev, the workerd tests, deploy) calls ensureConsoleBuilt() first. It rebuilds only when a source
// file is newer than the last build, so it costs a directory walk when nothing changed.
import fs from "node:fs";
import path from "node:path";

const consoleDir = path.resolve(import.meta.dirname, "../packages/console");
const builtMarker = path.join(consoleDir, "dist", "index.html");
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json", "build.mjs"];

function newestSourceMtime() {
  let newest = 0;
  for (const entry of SOURCES) {
    const p = path.join(consoleDir, entry);
    if (!fs.existsSync(p)) continue;
    const files = fs.statSync(p).isDirectory()
      ? fs.readdirSync(p, { recursive: true }).map((f) => path.join(p, String(f)))
      : [p];
    for (const f of files) newest = Math.max(newest, fs.statSync(f).mtimeMs);
  }
  return newest;
}

/** Whether packages/console/dist is missing or older than the console's sources. */
export function consoleBuildStale() {
  if (!fs.existsSync(builtMarker)) return true;
  return newestSourceMtime() > fs.statSync(builtMarker).mtimeMs;
}

let building = null;

/**
 * Builds the console if its dist is missing or stale (vite, in this process). Once per process at a time:
 * vitest loads several gateway project configs at once, and two builds into one dist would clobber each other.
 */
export function ensureConsoleBuilt({ quiet = false } = {}) {
  building ??= (async () => {
    if (!consoleBuildStale()) return;
    const { buildConsole } = await import(path.join(consoleDir, "build.mjs"));
    await buildConsole({ quiet });
  })().finally(() => {
    building = null;
  });
  return building;
}
