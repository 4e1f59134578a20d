// The AI UDF allocates fast: every vector of 2048 rows makes its strings anew, garbage one vector old. Left to
// itself V8 grows the young generation up to 48 MB, and lets the old one (where a 1 MB young generation promotes
// part of that garbage) grow ~30 MB past what is live before collecting it. With 1 MB semi-spaces and a 10% heap
// growing factor a 1,000,000-row statement peaks within ~15 MB of a 10,000-row one, for ~2% more CPU
// (bench/SQL-MEMORY.md; `--optimize-for-size` does as well on memory for ~45% more CPU). V8 reads these only at
// startup (v8.setFlagsFromString is too late for the heap), so a command started without them runs itself again.
import { spawnSync } from "node:child_process";

export const SMALL_HEAP_FLAGS = ["--max-semi-space-size=1", "--heap-growing-percent=10"];

/** The exit code of this command run again with the flags, or null when it was started with its own semi-space. */
export function rerunWithSmallHeap() {
  if (process.execArgv.some((a) => a.startsWith("--max-semi-space-size"))) return null;
  const args = [...process.execArgv, ...SMALL_HEAP_FLAGS, ...process.argv.slice(1)];
  const run = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (run.error) throw run.error;
  return run.status ?? 128 + 2;
}
