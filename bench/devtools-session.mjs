// One DevTools-protocol session with an isolate of a running workerd (its inspector's target): calls by id, and
// the target's events handed to `onEvent`. For bench/profile.mjs (CPU profiles) and bench/inspector-heaps.mjs
// (heap usage and snapshots).
import { once } from "node:events";
import { createRequire } from "node:module";

// The `ws` package Miniflare brings: it takes the large messages a heap snapshot's chunks and profiles are.
const WebSocket = createRequire(createRequire(import.meta.url).resolve("miniflare"))("ws");

/**
 * Opens a session on `webSocketDebuggerUrl`. `call(method, params)` resolves to the answer's `result` (workerd
 * answers some calls, such as HeapProfiler.takeHeapSnapshot, with an echo of the request and no `result`: then
 * the whole message), or to null when none comes within `timeoutMs`.
 */
export async function openDevtoolsSession(webSocketDebuggerUrl, { timeoutMs = 60_000, onEvent = () => {} } = {}) {
  const ws = new WebSocket(webSocketDebuggerUrl, { maxPayload: 1024 * 1048576 });
  await once(ws, "open");
  const waiting = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id === undefined) {
      onEvent(msg);
      return;
    }
    waiting.get(msg.id)?.(msg.result ?? msg);
    waiting.delete(msg.id);
  });
  let id = 0;
  return {
    call(method, params = {}) {
      return new Promise((resolve) => {
        const n = ++id;
        const timer = setTimeout(() => {
          waiting.delete(n);
          resolve(null);
        }, timeoutMs);
        waiting.set(n, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
        ws.send(JSON.stringify({ id: n, method, params }));
      });
    },
    close() {
      ws.close();
    },
  };
}
