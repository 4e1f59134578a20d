// CPU accounting from /proc: the processes of a target and the CPU time they have used.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(f[1]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      comm: s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")),
    };
  } catch {
    return null;
  }
}

function allPids() {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** The process and all its descendants, with their command names. */
export function processTree(rootPid) {
  const stats = new Map(
    allPids()
      .map((p) => [p, procStat(p)])
      .filter(([, s]) => s),
  );
  const tree = [];
  const walk = (pid) => {
    if (!stats.has(pid)) return;
    tree.push({ pid, comm: stats.get(pid).comm });
    for (const [p, s] of stats) if (s.ppid === pid) walk(p);
  };
  walk(rootPid);
  return tree;
}

/** utime + stime of the processes, in seconds. */
export function cpuSeconds(pids) {
  return pids.reduce((sum, p) => sum + (procStat(p)?.cpuTicks ?? 0), 0) / CLK_TCK;
}

/**
 * Waits until the targets' processes are idle (under 5% of a core over 250 ms, at most 20 s): each
 * gateway drains its queues (usage into D1, payload logs into R2) after a load run, and that work must
 * neither steal CPU from the next target's run nor be missed by its own CPU figure.
 */
export async function settle(pids) {
  const deadline = Date.now() + 20_000;
  let last = cpuSeconds(pids);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuSeconds(pids);
    if (now - last < 0.0125) return;
    last = now;
  }
}

/** The wrangler dev process of a stack started by startLocalStack, found by its --persist-to argument. */
export function findWranglerDevPid(stateDir) {
  for (const pid of allPids()) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (cmd.includes("dev") && cmd.includes(stateDir) && cmd.some((a) => a.endsWith("wrangler.js"))) return pid;
    } catch {}
  }
  return null;
}
