/**
 * DuckDB calls a scalar UDF synchronously and takes whatever it returns (an async UDF silently yields
 * empty strings), while the gateway calls are HTTP. The bridge hands a vector chunk's calls to a worker
 * thread, which runs them concurrently, and blocks the UDF on Atomics.wait until the worker answers;
 * the answer is read with receiveMessageOnPort, which needs no event loop. While it waits, `onTick` runs
 * every `tickMs` (the progress bar).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { BatchItem } from "../batch/call-runner";
import type { RetryPolicy } from "../batch/retry";
import type { CallOutcome } from "../call-spec";
import type { BatchRequest, WorkerInit } from "./worker";

export interface BridgeOptions {
  host: string;
  token: string;
  concurrency: number;
  retry: RetryPolicy;
  counters: Int32Array;
}

export class Bridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));

  constructor(options: BridgeOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const init: WorkerInit = { ...options, signal: this.signal, port: port2 };
    // The worker is TypeScript: tsx's loader is registered inside it before the module is imported, so the
    // bridge works the same under the CLI, vitest and plain node.
    const tsxApi = pathToFileURL(tsxEsmApi()).href;
    const workerModule = new URL("./worker.ts", import.meta.url).href;
    // If the module cannot load, every batch is answered with the reason (the main thread would wait forever).
    const bootstrap = `const { workerData: w } = require("node:worker_threads");
import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(workerModule)}); })
  .catch((e) => w.port.on("message", () => {
    w.port.postMessage({ failure: String(e && e.stack || e) });
    Atomics.store(w.signal, 0, 1);
    Atomics.notify(w.signal, 0);
  }));`;
    this.worker = new Worker(bootstrap, {
      eval: true,
      workerData: init,
      transferList: [port2],
      // A small young generation: the worker's garbage is per batch, and V8 would otherwise grow it to 48 MB.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.worker.unref();
  }

  /** Runs the calls, blocking the thread until all have an outcome. */
  callSync(items: BatchItem[], statementId: string, onTick: () => void, tickMs = 200): Map<string, CallOutcome> {
    Atomics.store(this.signal, 0, 0);
    const request: BatchRequest = { items, statementId };
    this.port.postMessage(request);
    while (Atomics.wait(this.signal, 0, 0, tickMs) === "timed-out") onTick();
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new Error("The AI function worker signalled an answer but sent none.");
    const answer = received.message as { outcomes?: [string, CallOutcome][]; failure?: string };
    if (answer.failure !== undefined) throw new Error(`The AI function worker failed: ${answer.failure}`);
    return new Map(answer.outcomes);
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}

/** The ESM entry of tsx's API (require.resolve would give the CommonJS one, which cannot register ESM hooks). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const { exports } = require(manifest) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifest), exports["./esm/api"]!.import.default);
}
