#!/usr/bin/env node
/**
 * Peak memory of `edgeserve sql` by input size: the same batch-inference statement (CSV → ai_query → Parquet)
 * over 10,000 and 1,000,000 rows, against a mock gateway in this process. Both runs hold the same 1,000 distinct
 * reviews (so both make 1,000 calls and the difference is what the rows themselves cost: DuckDB's streaming, the
 * UDF's chunks, the Parquet writer); the dedupe cache's own bound is tested in packages/sql. Peak RSS is the
 * command process's VmHWM (its worker thread included), read from /proc while it runs. Writes
 * bench/sql-memory.json.
 *
 *   node bench/sql-memory.mjs [rows…]     (default: 10000 1000000; the scaling series in bench/SQL-MEMORY.md:
 *                                          10000 100000 300000 1000000 3000000)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { SMALL_HEAP_FLAGS } from "../packages/sql/bin/small-heap.mjs";

const repo = path.resolve(import.meta.dirname, "..");
const bin = path.join(repo, "packages/sql/bin/edgeserve-sql.mjs");
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(10_000, 1_000_000);

// The gateway's two routes the command uses: GET the endpoint (its task), POST invocations (an echo).
const gateway = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (req.method === "GET") return res.end(JSON.stringify({ name: "bench", task: "llm/v1/chat" }));
    const prompt = JSON.parse(body).messages[0].content;
    res.end(
      JSON.stringify({
        choices: [{ message: { role: "assistant", content: `Echo: ${prompt}` } }],
        usage: { prompt_tokens: 8, completion_tokens: 9 },
      }),
    );
  });
});
gateway.listen(0, "127.0.0.1");
await new Promise((r) => gateway.once("listening", r));
const host = `http://127.0.0.1:${gateway.address().port}`;

function run(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    // With the flags the bin would otherwise re-run itself with (packages/sql/bin/small-heap.mjs), so that the
    // process measured is the one that runs the statement.
    const argv = [...SMALL_HEAP_FLAGS, bin, "--no-progress", "--concurrency", "16", ...args];
    const child = spawn(process.execPath, argv, {
      cwd,
      env: { ...process.env, EDGESERVE_HOST: host, EDGESERVE_TOKEN: "bench" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let peakKb = 0;
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.resume();
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process has just exited
      }
    }, 50);
    child.on("exit", (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`exit ${code}: ${stderr}`));
      else resolve({ peakRssMb: Math.round(peakKb / 1024), seconds: (Date.now() - started) / 1000, stderr });
    });
  });
}

const results = [];
for (const rows of sizes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-sql-bench-"));
  await run(
    [
      `COPY (SELECT i AS id, 'Review number ' || (i % 1000) || ' of a kettle, great value' AS review
       FROM range(${rows}) t(i)) TO 'in.csv' (HEADER)`,
    ],
    dir,
  );
  const r = await run(
    ["COPY (SELECT id, ai_query('bench', review) AS answer FROM read_csv('in.csv')) TO 'out.parquet' (FORMAT parquet)"],
    dir,
  );
  const summary = /AI functions: (.*) · [\d.]+s/.exec(r.stderr)?.[1] ?? "";
  results.push({ rows, peak_rss_mb: r.peakRssMb, seconds: r.seconds, summary });
  console.log(`${rows} rows: peak RSS ${r.peakRssMb} MB, ${r.seconds.toFixed(1)} s (${summary})`);
  fs.rmSync(dir, { recursive: true, force: true });
}
gateway.close();
fs.writeFileSync(
  path.join(repo, "bench/sql-memory.json"),
  `${JSON.stringify({ node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), results }, null, 2)}\n`,
);
