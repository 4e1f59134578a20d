import { loadOrt } from "../ort/runtime";

export type Transformers = typeof import("@huggingface/transformers");

/** Reads one file of a model; returns undefined if absent. Set per load (the R2 binding comes with the request). */
export type FileReader = (path: string) => Promise<Uint8Array | undefined>;

let readFile: FileReader | undefined;
let transformersPromise: Promise<Transformers> | undefined;

/**
 * transformers.js configured for workerd: no Hub, no browser/FS/WASM caches (workerd has none of them),
 * and every model file read through `env.fetch` from R2 by its path. Imported lazily (it calls
 * `crypto.getRandomValues` at import time, which workerd forbids outside a request) and after ONNX
 * Runtime is configured, so it adopts that runtime instead of pointing it at a CDN.
 */
export function loadTransformers(files: FileReader): Promise<Transformers> {
  readFile = files;
  transformersPromise ??= (async () => {
    await loadOrt();
    const transformers = await importAsWorker(() => import("@huggingface/transformers"));
    const { env } = transformers;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFS = false;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.useWasmCache = false;
    env.localModelPath = "";
    env.fetch = (async (input: RequestInfo | URL) => {
      const path = typeof input === "string" ? input : input instanceof URL ? input.pathname : input.url;
      const bytes = await readFile?.(path.replace(/^\/+/, ""));
      return bytes ? new Response(bytes) : new Response(null, { status: 404 });
    }) as typeof fetch;
    return transformers;
  })();
  transformersPromise.catch(() => (transformersPromise = undefined));
  return transformersPromise;
}

/**
 * With nodejs_compat (always on under vitest-pool-workers) `process.release.name` is "node", and
 * transformers.js, which reads it once at import, would take its Node paths (model files as file paths
 * for onnxruntime-node). Hide it for the import so it takes the web paths, as in a plain worker.
 */
async function importAsWorker<T>(load: () => Promise<T>): Promise<T> {
  const proc = (globalThis as { process?: object }).process;
  const original = proc && Object.getOwnPropertyDescriptor(proc, "release");
  if (!proc || !original?.configurable) return load();
  Object.defineProperty(proc, "release", { value: { name: "workerd" }, configurable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(proc, "release", original);
  }
}
