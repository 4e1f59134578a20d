// A full run's record: bench/results.json, and bench/RESULTS.md rendered from it with the profiling
// findings (bench/findings.json, hand-written from BENCH_ONLY=profile A/B runs) beside this run's figures.
import fs from "node:fs";
import path from "node:path";
import { log } from "../log.mjs";
import { renderMarkdown } from "./results-markdown.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

export function writeResults(results) {
  try {
    results.analysis = JSON.parse(fs.readFileSync(path.join(benchDir, "findings.json"), "utf8"));
  } catch {}
  fs.writeFileSync(path.join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderMarkdown(results));
  log(`wrote bench/results.json and bench/RESULTS.md in ${results.totalSeconds}s`);
}
