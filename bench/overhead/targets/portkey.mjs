// Portkey's gateway, the peer Edgeserve is compared with: installed into bench/peers (outside the pnpm
// workspace, see bench/README.md) on first use, started headless, upstream chosen per request by headers.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../../../infra/local-stack.mjs";
import { UPSTREAM_TOKEN } from "../bench-endpoint.mjs";
import { log, r3 } from "../log.mjs";
import { processTree } from "../proc-cpu.mjs";
import { onStop, spawnNode } from "../processes.mjs";
import { VERBOSE } from "../settings.mjs";
import { chatBody, untilAnswered } from "./target.mjs";

const peersDir = path.resolve(import.meta.dirname, "../../peers");
const portkeyDir = path.join(peersDir, "node_modules", "@portkey-ai", "gateway");
const portkeyMain = path.join(portkeyDir, "build", "start-server.js");

/** Installs the peer if it is missing; its version, or null (with a note) when it could not be installed. */
export function installPortkey(notes) {
  if (!fs.existsSync(portkeyMain)) {
    log("installing the Portkey peer into bench/peers (npm ci --ignore-scripts)…");
    try {
      execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd: peersDir,
        stdio: VERBOSE ? "inherit" : "pipe",
        timeout: 180_000,
      });
    } catch (e) {
      notes.push(
        `Portkey peer could not be installed (${String(e.message).split("\n")[0]}); Portkey scenarios skipped.`,
      );
    }
  }
  if (!fs.existsSync(portkeyMain)) return null;
  return JSON.parse(fs.readFileSync(path.join(portkeyDir, "package.json"), "utf8")).version;
}

/** Starts Portkey in front of the mock; returns the target and its cold start. */
export async function startPortkey(mockUrl) {
  const port = await freePort();
  const pk = spawnNode("portkey", [portkeyMain, "--headless", `--port=${port}`], {
    ready: /Ready for connections|running at/i,
    cwd: peersDir,
  });
  onStop(pk.stop);
  const target = {
    label: "Portkey gateway",
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${UPSTREAM_TOKEN}`,
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": `${mockUrl}/v1`,
    },
    body: chatBody(false),
    streamBody: chatBody(true),
    pids: () => processTree(pk.child.pid).map((p) => p.pid),
  };
  const [started, firstMs] = await Promise.all([pk.started, untilAnswered(target, pk.t0)]);
  const coldStart = { processStartToReadyLineMs: r3(started.readyMs), processStartToFirstQueryMs: r3(firstMs) };
  log("Portkey at", target.url, JSON.stringify(coldStart));
  return { target, coldStart };
}
