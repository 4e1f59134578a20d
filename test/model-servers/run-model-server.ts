/**
 * The e2e tests' Python side: build the pickle-only MLflow scikit-learn model, start the two test model servers
 * over it, and ask scikit-learn itself for the predictions the gateway must return. Debian's python3-sklearn,
 * -numpy, -pandas (and python3-yaml) are what `/usr/bin/python3` sees (a pyenv python on PATH would not).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const PYTHON = "/usr/bin/python3";
/** No __pycache__ beside the scripts in the repo. */
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
const here = import.meta.dirname;
const buildScript = path.resolve(here, "../fixtures/models/build/sklearn_pickle_only.py");

/** Trains and writes the stock MLflow sklearn model (no ONNX) into a fresh temp dir; returns the model dir. */
export function buildPickleOnlyModel(): string {
  try {
    execFileSync(PYTHON, ["-c", "import sklearn, numpy, pandas, yaml"], { env, stdio: "pipe" });
  } catch (e) {
    throw new Error(
      `${PYTHON} lacks scikit-learn, numpy, pandas or yaml: apt-get install python3-sklearn python3-numpy ` +
        `python3-pandas python3-yaml (.ci/run does). ${e instanceof Error ? e.message : e}`,
    );
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-pickle-model-"));
  return execFileSync(PYTHON, [buildScript, out], { encoding: "utf8", env }).trim();
}

/** scikit-learn's own predictions for `rows` (the oracle), loading the pickle as the servers do. */
export function sklearnPredictions(modelDir: string, columns: string[], rows: number[][]): number[] {
  const out = execFileSync(PYTHON, [path.join(here, "predict.py"), modelDir], {
    input: JSON.stringify({ columns, data: rows }),
    encoding: "utf8",
    env,
  });
  return (JSON.parse(out) as { predictions: number[] }).predictions;
}

export interface RunningModelServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `mlflow_scoring_server.py` or `oip_v2_server.py` with `args` on a free port; resolves once it listens. */
export async function startModelServer(
  kind: "mlflow" | "oip-v2",
  args: string[],
  timeoutMs = 90_000,
): Promise<RunningModelServer> {
  const script = path.join(here, kind === "mlflow" ? "mlflow_scoring_server.py" : "oip_v2_server.py");
  const child: ChildProcess = spawn(PYTHON, [script, ...args, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start: ${stderr}`)), timeoutMs);
    child.stdout!.on("data", (chunk) => {
      const match = /listening on (\d+)/.exec(String(chunk));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
