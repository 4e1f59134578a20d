#!/usr/bin/env node
// The `edgeserve` command. The CLI is TypeScript run through tsx (no build step): `pnpm edgeserve …` in the
// repository and the package's `bin` start the same source.
import os from "node:os";
import { rerunWithSmallHeap } from "@edgeserve/sql/bin/small-heap.mjs";
import "./register-tsx.mjs";

// `sql` runs DuckDB's AI functions, whose memory bound needs V8 flags for a small heap (see that file).
if (process.argv.slice(2).includes("sql")) {
  const rerun = rerunWithSmallHeap();
  if (rerun !== null) process.exit(rerun);
}

const { runCli } = await import("../src/main.ts");

// `pnpm edgeserve` runs scripts from the repository root; INIT_CWD is where the user typed the command,
// which is where `--json @file` paths are relative to.
const cwd =
  process.env.npm_lifecycle_event === "edgeserve" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
// And where `edgeserve sql`'s relative paths (read_csv('reviews.csv'), COPY … TO) resolve: DuckDB uses the process's.
if (cwd !== process.cwd()) process.chdir(cwd);

process.on("SIGINT", () => process.exit(130));
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd,
  homeDir: os.homedir(),
});
// Let stdout drain (a pipe to `jq` may be slow) before exiting with the code.
process.exitCode = code;
