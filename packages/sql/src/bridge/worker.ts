/**
 * The worker thread of the bridge (bridge.ts): makes the HTTP calls of each batch the main thread hands
 * over, answers on the port, then wakes the main thread, which is blocked in Atomics.wait.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { type BatchItem, createCallRunner } from "../batch/call-runner";
import type { RetryPolicy } from "../batch/retry";
import { createGatewayClient } from "../gateway/gateway-client";

export interface WorkerInit {
  host: string;
  token: string;
  concurrency: number;
  retry: RetryPolicy;
  counters: Int32Array;
  /** signal[0]: 0 while a batch runs, 1 once its answer is on the port. */
  signal: Int32Array;
  port: MessagePort;
}

export interface BatchRequest {
  items: BatchItem[];
  statementId: string;
}

const init = workerData as WorkerInit;
const runBatch = createCallRunner({
  client: createGatewayClient(init),
  concurrency: init.concurrency,
  retry: init.retry,
  counters: init.counters,
});

init.port.on("message", async (request: BatchRequest) => {
  try {
    const outcomes = await runBatch(request.items, request.statementId);
    init.port.postMessage({ outcomes: [...outcomes] });
  } catch (e) {
    init.port.postMessage({ failure: e instanceof Error ? e.message : String(e) });
  }
  Atomics.store(init.signal, 0, 1);
  Atomics.notify(init.signal, 0);
});
