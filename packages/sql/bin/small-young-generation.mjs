// V8 grows a thread's young generation up to 48 MB when it allocates fast, which the AI UDF does: every vector
// of 2048 rows makes its strings anew. Garbage that is one vector old needs far less; with 1 MB semi-spaces a
// 1,000,000-row statement peaks where a 10,000-row one does (bench/SQL-MEMORY.md). The size is a startup flag
// (v8.setFlagsFromString is too late for the heap), so a command started without it runs itself again with it.
import { spawnSync } from "node:child_process";

const FLAG = "--max-semi-space-size=1";

/** The exit code of this command run again with the flag, or null when this process already has it. */
export function rerunWithSmallYoungGeneration() {
  if (process.execArgv.some((a) => a.startsWith("--max-semi-space-size"))) return null;
  const run = spawnSync(process.execPath, [...process.execArgv, FLAG, ...process.argv.slice(1)], { stdio: "inherit" });
  if (run.error) throw run.error;
  return run.status ?? 128 + 2;
}
