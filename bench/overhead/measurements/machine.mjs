// The machine and the versions of what runs on it, recorded beside every run's figures.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../../infra/local-stack.mjs";
import { r3 } from "../log.mjs";

const require = createRequire(path.join(repoRoot, "package.json"));

function versionOf(pkg, from = repoRoot) {
  try {
    return createRequire(path.join(from, "package.json"))(`${pkg}/package.json`).version;
  } catch {
    try {
      let dir = path.dirname(createRequire(path.join(from, "package.json")).resolve(pkg));
      while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
      return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  }
}

/** CPU, memory, OS and the versions of Node, wrangler, Miniflare, workerd and the load generators. */
export function describeMachine() {
  const miniflareRequire = createRequire(require.resolve("miniflare"));
  let workerdVersion = null;
  try {
    const bin = miniflareRequire("workerd").default ?? miniflareRequire("workerd");
    workerdVersion = execFileSync(typeof bin === "string" ? bin : bin.default, ["--version"], {
      encoding: "utf8",
    }).trim();
  } catch {
    workerdVersion = versionOf("workerd", path.dirname(require.resolve("miniflare")));
  }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: r3(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: versionOf("wrangler"),
    miniflare: versionOf("miniflare"),
    workerd: workerdVersion,
    autocannon: versionOf("autocannon"),
    undici: versionOf("undici"),
    portkeyGateway: null,
  };
}
