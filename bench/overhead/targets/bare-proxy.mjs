// The floor: a bare forwarding worker (bench/bare-proxy.mjs) on the same workerd with the same Miniflare
// settings as the gateway; what the runtime itself costs for one request plus one subrequest.
import path from "node:path";
import { freePort } from "../../../infra/local-stack.mjs";
import { onStop, spawnNode, workerdPidsOf } from "../processes.mjs";
import { chatBody } from "./target.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

/** `headers` are the direct target's: the proxy passes the upstream's API key through. */
export async function startBareProxy(mockUrl, headers) {
  const port = await freePort();
  const bare = spawnNode(
    "bare-proxy",
    [path.join(benchDir, "bare-proxy.mjs"), `--port=${port}`, `--upstream=${mockUrl}`],
    { ready: /^READY (\S+) workerd=(\S*)/ },
  );
  const started = await bare.started;
  onStop(() => bare.stop());
  const pids = workerdPidsOf(started);
  return {
    label: "bare workerd proxy",
    url: `${started.match[1]}/proxy/v1/chat/completions`,
    headers,
    body: chatBody(false),
    streamBody: chatBody(true),
    pids: () => pids,
  };
}
