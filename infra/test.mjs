#!/usr/bin/env node
// The whole test suite from a fresh clone: `node infra/test.mjs`.
// setup → typecheck → lint → gateway tests in workerd → unit tests (gateway in Node, inference, api, db, …) →
// e2e tests (wrangler dev + real clients) → browser tests (the console in Chromium) → bundle build.
// Every step runs even if an earlier one failed; the exit code is non-zero if any failed.
// The last line is `N passed, N failed`, summed over the vitest runs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { setup, findPnpm } from "./setup.mjs";
import { workerdEnv, wranglerEnv } from "./local-stack.mjs";
import { describeDroppedRequests, readDroppedRequests } from "../test/dropped-requests-log.mjs";

// Every workerd the tests start (vitest-pool-workers as well as wrangler dev) runs with the local V8 flags:
// see infra/workerd-v8-flags/workerd.
Object.assign(process.env, workerdEnv());

const repoRoot = path.resolve(import.meta.dirname, "..");
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-test-"));
// The e2e runs' global teardowns append here every request wrangler dev dropped (test/global-setup.ts).
const droppedRequestsLog = path.join(reportDir, "dropped-requests.jsonl");
process.env.EDGESERVE_DROPPED_REQUESTS_LOG = droppedRequestsLog;

function banner(title) {
  console.log(`\n=== ${title} ${"=".repeat(Math.max(0, 70 - title.length))}`);
}

/** The command running now, so that Ctrl-C / SIGTERM can take its whole process tree down. */
let current = null;

function killTree(child, sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {
    // Already gone.
  }
}

/**
 * Runs a command with inherited output and stdin closed (as in CI); resolves to its exit code.
 * It gets its own process group and is killed (with workerd and wrangler under it) after `timeoutMinutes`:
 * a hung test run must not hold CI until its global timeout.
 */
function run(cmd, args, { env = process.env, timeoutMinutes } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
      env,
      detached: process.platform !== "win32",
      shell: process.platform === "win32",
    });
    current = child;
    let timer;
    if (timeoutMinutes) {
      timer = setTimeout(() => {
        console.error(`\n${cmd} ${args.join(" ")}: no result after ${timeoutMinutes} min; stopping it`);
        killTree(child, "SIGTERM");
        setTimeout(() => killTree(child, "SIGKILL"), 10_000).unref();
      }, timeoutMinutes * 60_000);
    }
    child.on("error", (e) => {
      console.error(e.message);
      resolve(1);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      current = null;
      // Whatever the step left behind in its group (a stray workerd) goes with it.
      killTree(child, "SIGKILL");
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    if (current) killTree(current, "SIGTERM");
    console.error(`\n${sig}: stopped`);
    process.exit(130);
  });
}

/**
 * Minutes a step may take before it counts as hung: about twice what each step takes on a busy 2-core machine
 * (the summary of every run prints each step's time), and a budget for the whole run that keeps CI under its
 * 45 minutes whatever hangs.
 */
const CAPS = { typecheck: 3, lint: 1, gateway: 18, unit: 12, fixtures: 3, e2e: 14, models: 9, browser: 8, build: 2 };
const deadline = Date.now() + 40 * 60_000;
function minutesFor(step) {
  return Math.max(0.1, Math.min(CAPS[step], (deadline - Date.now()) / 60_000));
}

const results = [];
const totals = { passed: 0, failed: 0 };

async function step(name, fn) {
  banner(name);
  const started = Date.now();
  let ok;
  try {
    ok = await fn();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    ok = false;
  }
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

/** Adds a vitest JSON report to the totals; a run that wrote no report counts as one failure. */
function countVitest(reportFile) {
  if (!fs.existsSync(reportFile)) {
    totals.failed += 1;
    console.error(`(no vitest report at ${reportFile}; counted as 1 failure)`);
    return;
  }
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  // Files that failed to load (syntax errors, failing hooks) have no failed tests but must not pass silently.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed"),
  );
  totals.failed += brokenFiles.length;
  for (const f of brokenFiles)
    console.error(
      `(file failed without a failing test: ${path.relative(repoRoot, f.name)}: ` +
        `${String(f.message ?? "").split("\n")[0]})`,
    );
}

async function vitest(name, projects, pnpm, timeoutMinutes) {
  const reportFile = path.join(reportDir, `${name}.json`);
  const args = [
    ...pnpm.args,
    "exec",
    "vitest",
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ];
  const code = await run(pnpm.cmd, args, { timeoutMinutes });
  countVitest(reportFile);
  return code === 0;
}

/** Gzip size of the bundle `wrangler deploy --dry-run` wrote: roughly what Cloudflare's size limit measures. */
function reportBundleSize(outdir) {
  const files = fs
    .readdirSync(outdir, { recursive: true })
    .map(String)
    .filter((f) => /\.(m?js|wasm)$/.test(f));
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(outdir, f));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`Worker bundle (${files.join(", ")}): ${kib(raw)} raw, ${kib(gzip)} gzip`);
}

let pnpm;
const setupOk = await step("setup", async () => {
  await setup();
  pnpm = findPnpm({ install: false });
  return true;
});

if (setupOk) {
  await step(
    "typecheck",
    async () => (await run(pnpm.cmd, [...pnpm.args, "typecheck"], { timeoutMinutes: minutesFor("typecheck") })) === 0,
  );
  await step(
    "lint (Biome: format and lint rules, biome.jsonc; lines under 120 characters, infra/check-line-length.mjs)",
    async () => (await run(pnpm.cmd, [...pnpm.args, "lint"], { timeoutMinutes: minutesFor("lint") })) === 0,
  );
  // The gateway's own suite is the big one; the rest run in a step of their own, so one slow step
  // cannot starve the other of its budget and the log says where the time went.
  await step("gateway tests in workerd (integration, bindings)", () =>
    vitest("gateway", ["gateway"], pnpm, minutesFor("gateway")),
  );
  await step(
    "unit tests (gateway in Node, inference worker, gateway + real inference " +
      "worker, two gateway isolates, api, db, mlflow, console, sdk, cli, sql, infra)",
    () =>
      vitest(
        "unit",
        [
          "gateway-unit",
          "inference",
          "gateway-inference",
          "gateway-isolates",
          "api",
          "db",
          "mlflow",
          "console",
          "sdk",
          "cli",
          "sql",
          "infra",
        ],
        pnpm,
        minutesFor("unit"),
      ),
  );
  await step("model fixture tests", () => vitest("fixtures", ["fixtures"], pnpm, minutesFor("fixtures")));
  await step("e2e tests", () => vitest("e2e", ["e2e"], pnpm, minutesFor("e2e")));
  await step("e2e tests: in-worker models (registry → inference worker)", () =>
    vitest("e2e-models", ["e2e-models"], pnpm, minutesFor("models")),
  );
  await step("browser tests: the console in Chromium (test/browser)", () =>
    vitest("browser", ["browser"], pnpm, minutesFor("browser")),
  );
  await step("bundle build", async () => {
    const outdir = path.join(repoRoot, "dist", "gateway");
    fs.rmSync(outdir, { recursive: true, force: true });
    const stateDir = path.join(repoRoot, ".edgeserve", "build");
    const code = await run(
      pnpm.cmd,
      [...pnpm.args, "exec", "wrangler", "deploy", "--dry-run", "--outdir", "dist/gateway"],
      { env: wranglerEnv(stateDir), timeoutMinutes: minutesFor("build") },
    );
    if (code !== 0) return false;
    reportBundleSize(outdir);
    return true;
  });
  await step("inference bundle build", async () => {
    const outdir = path.join(repoRoot, "dist", "inference");
    fs.rmSync(outdir, { recursive: true, force: true });
    const stateDir = path.join(repoRoot, ".edgeserve", "build");
    const code = await run(
      pnpm.cmd,
      [
        ...pnpm.args,
        "exec",
        "wrangler",
        "deploy",
        "--dry-run",
        "-c",
        "workers/inference/wrangler.toml",
        "--outdir",
        outdir,
      ],
      { env: wranglerEnv(stateDir), timeoutMinutes: minutesFor("build") },
    );
    if (code !== 0) return false;
    reportBundleSize(outdir);
    return true;
  });
}

banner("summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.name} (${r.seconds.toFixed(1)} s)`);
for (const line of describeDroppedRequests(readDroppedRequests(droppedRequestsLog))) console.log(`e2e: ${line}`);
fs.rmSync(reportDir, { recursive: true, force: true });
const allOk = results.every((r) => r.ok);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(allOk ? 0 : 1);
