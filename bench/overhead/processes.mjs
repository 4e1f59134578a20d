// The bench's child processes: started in process groups of their own, stopped in reverse order at the
// end (or on Ctrl-C), killed outright if the bench exits without stopping them.
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { repoRoot, stopAllStacks } from "../../infra/local-stack.mjs";
import { VERBOSE } from "./settings.mjs";

const benchDir = path.resolve(import.meta.dirname, "..");
const children = new Set();
const stops = [];

process.on("exit", () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {}
  }
});
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, async () => {
    await stopAll();
    process.exit(130);
  });

/** Registers how to stop something the bench started; stopAll() runs these last-registered first. */
export function onStop(stop) {
  stops.push(stop);
}

/** Stops everything registered with onStop, then every local stack startLocalStack started. */
export async function stopAll() {
  for (const s of stops.reverse()) await s().catch(() => {});
  await stopAllStacks().catch(() => {});
}

/** Spawns `node <args>` in its own process group; resolves when a stdout line matches `ready`. */
export function spawnNode(name, args, { ready, timeoutMs = 60_000, cwd = repoRoot, extraEnv = {} } = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...extraEnv },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  child.stderr.on("data", (d) => {
    output += d;
    if (VERBOSE) process.stderr.write(`[${name}] ${d}`);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5000);
    await gone;
    clearTimeout(t);
  };
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready within ${timeoutMs} ms\n${output.slice(-3000)}`)),
      timeoutMs,
    );
    const rl = readline.createInterface({ input: child.stdout });
    rl.on("line", (line) => {
      output += `${line}\n`;
      if (VERBOSE) console.error(`[${name}] ${line}`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes wrangler prints.
      const m = ready ? ready.exec(line.replace(/\x1b\[[0-9;]*m/g, "")) : null;
      if (m) {
        clearTimeout(timer);
        resolve({ match: m, readyMs: Number(process.hrtime.bigint() - t0) / 1e6 });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready\n${output.slice(-3000)}`));
    });
  });
  return { child, t0, started, stop };
}

/** The workerd pids a READY line (`READY <url> workerd=<pid,...>`) announced. */
export function workerdPidsOf(started) {
  return started.match[2].split(",").filter(Boolean).map(Number);
}

/** Runs a bench helper (load.mjs / ttft.mjs) in its own process and parses its JSON line. */
export function runHelper(script, options) {
  const out = execFileSync(process.execPath, [path.join(benchDir, script), JSON.stringify(options)], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 16 << 20,
    stdio: ["ignore", "pipe", VERBOSE ? "inherit" : "pipe"],
  });
  return JSON.parse(out.trim().split("\n").at(-1));
}

/** Runs a bench helper in its own process without blocking; resolves to its stdout when it exits 0. */
export function runHelperAsync(script, args) {
  const child = spawn(process.execPath, [path.join(benchDir, script), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => VERBOSE && process.stderr.write(d));
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${child.spawnargs[1]} exited ${code}: ${out.slice(-500)}`)),
    );
  });
}
