#!/usr/bin/env node
// `pnpm bench:console`: how fast the console first shows up, and how much of it a browser downloads.
// One run: the stack as `pnpm serve` starts it (the production bundles on workerd, the console from the gateway's
// static assets) on a fresh state, then Debian's Chromium (playwright-core, as test/browser) loads two pages:
// the sign-in page (`/`, what a new visitor gets) and the endpoints list signed in (`/endpoints`: the app plus
// its first API call). Each page BENCH_CONSOLE_RUNS times cold (a new browser context: empty HTTP cache) and as
// many times warm (the same context again: content-hashed assets from the cache, index.html revalidated).
// Measured in the page: first contentful paint, largest contentful paint, and "rendered" (the page's heading
// in the DOM; for the list, its first row: after the API call), checked every animation frame, all from
// navigation start; and the bytes transferred. Plus the
// app's gzip size (packages/console/gzip-size.mjs). Writes bench/console-load.json and bench/CONSOLE-LOAD.md.
//
//   pnpm bench:console   (env: BENCH_CONSOLE_RUNS=7, EDGESERVE_CHROMIUM=/usr/bin/chromium)
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { freePort, repoRoot } from "../infra/local-stack.mjs";
import { startProductionStack } from "../infra/serve.mjs";
import { buildConsole } from "../packages/console/build.mjs";
import { describeSize, measureGzipSize } from "../packages/console/gzip-size.mjs";

// The browser suite's playwright-core (a dependency of the test workspace package), so both drive the same one.
const { chromium } = createRequire(path.join(repoRoot, "test/package.json"))("playwright-core");
const benchDir = import.meta.dirname;
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 7);
const CHROMIUM = process.env.EDGESERVE_CHROMIUM ?? "/usr/bin/chromium";
const startedAt = Date.now();
const log = (...a) => console.log(`[bench:console ${((Date.now() - startedAt) / 1000).toFixed(1)}s]`, ...a);

/** The pages loaded, and what says each has rendered. */
const PAGES = [
  { name: "sign-in", path: "/", signedIn: false, rendered: "h1" },
  // A row is there once the list call has answered (the empty list has a row saying so).
  { name: "endpoints list (signed in)", path: "/endpoints", signedIn: true, rendered: "main tbody tr" },
];

if (!fs.existsSync(CHROMIUM)) {
  console.error(
    `No Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-liberation (or set EDGESERVE_CHROMIUM).`,
  );
  process.exit(1);
}

// A fresh production build: a dist left by a test run may be another build's (vitest sets NODE_ENV=test).
log("building the console");
await buildConsole({ quiet: true });
const runDir = path.join(benchDir, ".state", `console-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
log("building the production bundles (and the console) and starting workerd, as `pnpm serve` does");
const stack = await startProductionStack({
  port: await freePort(),
  stateDir: path.join(runDir, "state"),
  adminToken,
  masterKey: crypto.randomBytes(32).toString("base64"),
  log: false,
});
const size = measureGzipSize(path.join(repoRoot, "packages/console/dist"));
log(`up at ${stack.url}; the console: ${describeSize(size)}`);

/** In the page: paint timings, navigation timing and transferred bytes, once `selector` is in the DOM. */
async function measure(page, selector) {
  const renderedMs = await (
    await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : 0), selector, {
      polling: "raf",
      timeout: 30_000,
    })
  ).jsonValue();
  // LCP is reported once the page has painted its largest element: give it a frame or two after the render.
  await page.waitForTimeout(200);
  return page.evaluate((rendered) => {
    const lcp = new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1]?.startTime ?? null);
      }).observe({ type: "largest-contentful-paint", buffered: true });
      setTimeout(() => resolve(null), 1000);
    });
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
    const resources = performance.getEntriesByType("resource");
    const transferred = [nav, ...resources].reduce((n, e) => n + (e?.transferSize ?? 0), 0);
    const appFiles = resources.filter((e) => /\/assets\//.test(e.name));
    return lcp.then((lcpMs) => ({
      fcpMs: fcp,
      lcpMs,
      renderedMs: rendered,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null,
      transferredBytes: transferred,
      assetsFromCache: appFiles.filter((e) => e.transferSize === 0).length,
      assets: appFiles.length,
    }));
  }, renderedMs);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
const samples = [];
try {
  for (const spec of PAGES) {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      // A signed-in tab: the token in sessionStorage, where the sign-in form puts it.
      if (spec.signedIn)
        await context.addInitScript((token) => sessionStorage.setItem("edgeserve.token", token), adminToken);
      const page = await context.newPage();
      await page.goto(`${stack.url}${spec.path}`, { waitUntil: "commit" });
      samples.push({ page: spec.name, cache: "cold", run, ...(await measure(page, spec.rendered)) });
      // Warm: the same context (HTTP cache kept) loading the page again from a blank one.
      await page.goto("about:blank");
      await page.goto(`${stack.url}${spec.path}`, { waitUntil: "commit" });
      samples.push({ page: spec.name, cache: "warm", run, ...(await measure(page, spec.rendered)) });
      await context.close();
    }
    log(`${spec.name}: ${RUNS} cold and ${RUNS} warm loads`);
  }
} finally {
  await browser.close();
  await stack.stop();
  if (!process.env.BENCH_KEEP_STATE) fs.rmSync(runDir, { recursive: true, force: true });
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const summary = [];
for (const spec of PAGES)
  for (const cache of ["cold", "warm"]) {
    const runs = samples.filter((s) => s.page === spec.name && s.cache === cache);
    summary.push({
      page: spec.name,
      path: spec.path,
      cache,
      runs: runs.length,
      medianFcpMs: median(runs.map((r) => r.fcpMs)),
      medianLcpMs: median(runs.map((r) => r.lcpMs)),
      medianRenderedMs: median(runs.map((r) => r.renderedMs)),
      maxRenderedMs: Math.max(...runs.map((r) => r.renderedMs)),
      medianTransferredBytes: median(runs.map((r) => r.transferredBytes)),
      assetsFromCache: `${median(runs.map((r) => r.assetsFromCache))} of ${median(runs.map((r) => r.assets))}`,
    });
  }

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadAverage1m: os.loadavg()[0],
  chromium: browser.version(),
  node: process.version,
};
const result = { date: new Date().toISOString(), runs: RUNS, machine, consoleSize: size, summary, samples };
fs.writeFileSync(path.join(benchDir, "console-load.json"), `${JSON.stringify(result, null, 2)}\n`);

const ms = (n) => (n === null ? "—" : `${Math.round(n)} ms`);
const kib = (n) => (n === null ? "—" : `${(n / 1024).toFixed(1)} KiB`);
const md = [
  "# Console first load (`pnpm bench:console`)",
  "",
  `${result.date}; ${machine.cpus} CPUs (${machine.cpuModel}), ` +
    `load average ${machine.loadAverage1m.toFixed(1)} at the end; ` +
    `Chromium ${machine.chromium} headless; the stack of \`pnpm serve\` (production bundles on workerd) on 127.0.0.1.`,
  "",
  `The app: ${describeSize(size)}. The first load is index.html and what it links; the Playground, the registry ` +
    "and the chart library (uPlot) are chunks loaded when opened.",
  "",
  `Times from navigation start, median of ${RUNS} loads (rendered: also the slowest). Cold: a new browser context ` +
    "(empty HTTP cache). Warm: the same context again (content-hashed assets cached for a year, index.html " +
    "revalidated). Transferred: what the browser fetched (local workerd does not compress; Cloudflare compresses " +
    "at the edge, so the gzip figure above is what travels in production).",
  "",
  "| page | cache | first contentful paint | largest contentful paint | rendered (median / max) | transferred " +
    "| assets from cache |",
  "|---|---|---|---|---|---|---|",
  ...summary.map(
    (s) =>
      `| ${s.page} (\`${s.path}\`) | ${s.cache} | ${ms(s.medianFcpMs)} | ${ms(s.medianLcpMs)} | ` +
      `${ms(s.medianRenderedMs)} / ${ms(s.maxRenderedMs)} | ${kib(s.medianTransferredBytes)} | ${s.assetsFromCache} |`,
  ),
  "",
  "On a busy machine (the load average above) these times are mostly waiting for CPU: compare runs made on a " +
    "quiet one.",
  "",
  "Rendered: the sign-in page's heading in the DOM; for the endpoints list its first table row, which is there " +
    "once the list call to the API has answered (checked every animation frame). Every sample is in " +
    "`bench/console-load.json`.",
  "",
];
fs.writeFileSync(path.join(benchDir, "CONSOLE-LOAD.md"), md.join("\n"));
log("wrote bench/console-load.json and bench/CONSOLE-LOAD.md");
console.log(md.join("\n"));
