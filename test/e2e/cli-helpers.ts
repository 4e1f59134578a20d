/** Runs the real `edgeserve` CLI (packages/cli/bin/edgeserve.mjs) as a child process, as a user or script would. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(repoRoot, "packages/cli/bin/edgeserve.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The whole environment besides PATH: nothing of the test process's leaks in (no EDGESERVE_* or HOME). */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
}

/** An empty directory used as HOME and working directory, so no real ~/.databrickscfg is read. */
export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-cli-"));
}

export function edgeserve(args: string[], { env = {}, cwd, stdin }: CliOptions = {}): Promise<CliRun> {
  const home = cwd ?? scratchDir();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: home,
      // Polls of `--wait` every 300 ms instead of 2 s keep the test short; nothing else differs.
      env: { PATH: process.env.PATH ?? "", HOME: home, EDGESERVE_WAIT_POLL_MS: "300", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}
