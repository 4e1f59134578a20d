#!/usr/bin/env node
// Makes a fresh clone ready with only Node (>= 20.19) and npm: pnpm, then the workspace's dependencies.
// Idempotent: with an up-to-date node_modules, `pnpm install --frozen-lockfile` is a sub-second no-op.
// `node infra/setup.mjs`
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(import.meta.dirname, "..");
const isWindows = process.platform === "win32";

function log(message) {
  console.log(`[setup] ${message}`);
}

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { cwd: repoRoot, stdio: "inherit", shell: isWindows, ...options });
}

function works(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: "ignore", shell: isWindows, timeout: 60_000 });
  return r.status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node ${process.versions.node} is too old; Edgeserve needs Node >= 20.19 (22+ recommended).`);
  }
}

let found = null;

/**
 * How to invoke pnpm here: `pnpm` on PATH, else installed with `npm i -g pnpm`, else through npx
 * (for machines where global installs are not permitted).
 * @returns {{ cmd: string, args: string[] }}
 */
export function findPnpm({ install = true } = {}) {
  found ??= locatePnpm(install);
  return found;
}

function locatePnpm(install) {
  if (works("pnpm", ["--version"])) return { cmd: "pnpm", args: [] };
  if (!install) {
    // An earlier setup may have fallen back to npx, which keeps pnpm in its cache.
    if (works("npx", ["--no-install", "pnpm", "--version"])) return { cmd: "npx", args: ["--yes", "pnpm"] };
    throw new Error("pnpm is not installed; run `node infra/setup.mjs` first");
  }
  log("pnpm not found; installing it with `npm i -g pnpm`");
  const global = run("npm", ["i", "-g", "pnpm"]);
  if (global.status === 0 && works("pnpm", ["--version"])) return { cmd: "pnpm", args: [] };
  log("global install not permitted; falling back to `npx pnpm`");
  if (works("npx", ["--yes", "pnpm", "--version"])) return { cmd: "npx", args: ["--yes", "pnpm"] };
  throw new Error("Could not install pnpm (tried `npm i -g pnpm` and `npx pnpm`).");
}

export async function setup() {
  checkNode();
  const { cmd, args } = findPnpm();
  const hasLockfile = fs.existsSync(path.join(repoRoot, "pnpm-lock.yaml"));
  const installArgs = [
    ...args,
    "install",
    hasLockfile ? "--frozen-lockfile" : "--no-frozen-lockfile",
    "--config.confirmModulesPurge=false",
  ];
  log(`${cmd} ${installArgs.join(" ")}`);
  const r = run(cmd, installArgs);
  if (r.status !== 0) throw new Error(`pnpm install failed (exit ${r.status ?? r.signal})`);
  // After install (vite comes with it): the gateway's assets must exist before wrangler or its tests start.
  const { ensureConsoleBuilt } = await import("./console-build.mjs");
  await ensureConsoleBuilt();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await setup();
  } catch (e) {
    console.error(`[setup] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
