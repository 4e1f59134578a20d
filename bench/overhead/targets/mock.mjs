// The fast local mock upstream (bench/mock-upstream.mjs) and the "direct to mock" target: the baseline
// every gateway's added latency is measured against.
import path from "node:path";
import { UPSTREAM_TOKEN } from "../bench-endpoint.mjs";
import { log } from "../log.mjs";
import { onStop, spawnNode } from "../processes.mjs";
import { chatBody } from "./target.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

export async function startMock() {
  const mock = spawnNode(
    "mock",
    [path.join(benchDir, "mock-upstream.mjs"), `--token=${UPSTREAM_TOKEN}`, "--stream-gap-ms=5"],
    { ready: /^READY (\S+)/ },
  );
  const url = (await mock.started).match[1];
  onStop(mock.stop);
  log("mock upstream at", url);
  const direct = {
    label: "direct to mock",
    url: `${url}/v1/chat/completions`,
    headers: { "content-type": "application/json", authorization: `Bearer ${UPSTREAM_TOKEN}` },
    body: chatBody(false),
    streamBody: chatBody(true),
    pids: () => [mock.child.pid],
  };
  return { url, pid: mock.child.pid, direct };
}
