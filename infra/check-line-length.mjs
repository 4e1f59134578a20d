#!/usr/bin/env node
// Lines stay under 120 characters (docs/CONVENTIONS.md), comments and strings too. Biome's formatter wraps
// code at that width but leaves strings and comments as they are; this check fails on those. Part of
// `pnpm lint`, so CI's lint step (infra/test.mjs) runs it. Usage: node infra/check-line-length.mjs [files…]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const MAX = 120;
const repoRoot = path.resolve(import.meta.dirname, "..");

/** The source files Biome formats (biome.jsonc `files.includes`), the generated SDK schema excepted. */
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const EXCLUDED = [
  /(^|\/)dist\//,
  /^bench\/peers\//,
  /^bench\/transformers-compare\//,
  /^packages\/sdk\/src\/schema\.gen\.ts$/,
];

/**
 * What truly cannot wrap: a URL (split, it no longer opens) and a regular expression literal alone on its line
 * (split, it would become a RegExp built from strings, harder to read than the long line).
 */
const CANNOT_WRAP = [/https?:\/\/\S{20,}/, /^\s*\/[^/*].*\/[dgimsuyv]*(\.exec\(|\.test\(|[,;)])?$/];

/** `file:line: N characters` for every line over MAX in `files` (paths relative to the repository root). */
function longLines(files) {
  const found = [];
  for (const file of files) {
    if (!SOURCE.test(file) || EXCLUDED.some((re) => re.test(file))) continue;
    const lines = fs.readFileSync(path.join(repoRoot, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.length > MAX && !CANNOT_WRAP.some((re) => re.test(line)))
        found.push(`${file}:${i + 1}: ${line.length} characters`);
    });
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const files = args.length
    ? args.map((f) => path.relative(repoRoot, path.resolve(f)))
    : execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
        cwd: repoRoot,
        encoding: "utf8",
      })
        .split("\n")
        .filter((f) => f && fs.existsSync(path.join(repoRoot, f)));
  const found = longLines(files);
  if (found.length) {
    console.error(
      `${found.length} line(s) over ${MAX} characters (docs/CONVENTIONS.md): wrap strings with + and reflow ` +
        "comments; only URLs may stay longer.",
    );
    for (const line of found) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log(`check-line-length: no line over ${MAX} characters`);
}
