// A full run's record: bench/results.json, and bench/RESULTS.md rendered from it with the profiling
// findings (bench/findings.json, hand-written from BENCH_ONLY=profile A/B runs) beside this run's figures, and
// the figures of README.md's Performance section.
import fs from "node:fs";
import path from "node:path";
import { log } from "../log.mjs";
import { writeReadmeFigures } from "./readme-performance.mjs";
import { renderMarkdown } from "./results-markdown.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

export function writeResults(results) {
  try {
    results.analysis = JSON.parse(fs.readFileSync(path.join(benchDir, "findings.json"), "utf8"));
  } catch {}
  fs.writeFileSync(path.join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderMarkdown(results));
  // A failed run leaves the README's figures as they were.
  const readme = !results.error && writeReadmeFigures(results);
  log(
    `wrote bench/results.json, bench/RESULTS.md${readme ? " and README.md's figures" : ""} in ${results.totalSeconds}s`,
  );
}
