// @xenova/transformers 2.17.2 (ONNX Runtime Web 1.14) in workerd, for `pnpm bench:transformers`.
import ortWasm from "onnxruntime-web/dist/ort-wasm-simd.wasm";
import { embeddingWorker, r2Reader } from "./serve.mjs";

// workerd cannot compile WASM from bytes, and ORT 1.14 has no `env.wasm.wasmBinary` setting: its Emscripten loader
// fetches `<wasmPaths>ort-wasm-simd.wasm` and instantiates the response. Answer that fetch with a marker
// response and instantiate the precompiled module (imported above; wrangler precompiles .wasm imports) for it.
const WASM_BASE = "https://onnxruntime-1-14.invalid/";
const markers = new WeakSet();
function redirectOrtWasm() {
  const fetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(WASM_BASE)) return fetch(input, init);
    const marker = new Response(new Uint8Array(0), { headers: { "content-type": "application/wasm" } });
    markers.add(marker);
    return Promise.resolve(marker);
  };
  const instantiate = WebAssembly.instantiate.bind(WebAssembly);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!markers.has(response)) throw new Error("only ONNX Runtime's own wasm is instantiated here");
    return { instance: await instantiate(ortWasm, imports), module: ortWasm };
  };
  // Emscripten's fallback when streaming fails: array buffer from the same (empty) response.
  WebAssembly.instantiate = async (source, imports) => {
    if (source instanceof ArrayBuffer && source.byteLength === 0)
      return { instance: await instantiate(ortWasm, imports), module: ortWasm };
    return instantiate(source, imports);
  };
}

export default embeddingWorker(async (env) => {
  redirectOrtWasm();
  // Imported lazily: the library touches `crypto` at import, which workerd forbids at startup.
  const { env: settings, pipeline } = await import("@xenova/transformers");
  settings.backends.onnx.wasm.numThreads = 1;
  settings.backends.onnx.wasm.proxy = false;
  settings.backends.onnx.wasm.wasmPaths = WASM_BASE;
  settings.allowRemoteModels = false;
  settings.allowLocalModels = true; // v2 consults the custom cache only on its local-model path
  settings.useBrowserCache = false; // workerd has `caches`, but not a browser's Cache semantics
  settings.useFSCache = false;
  settings.localModelPath = "/";
  const read = r2Reader(env.ARTIFACTS);
  settings.useCustomCache = true;
  settings.customCache = {
    async match(key) {
      const bytes = await read(String(key));
      return bytes ? new Response(bytes) : undefined;
    },
    async put() {},
  };
  return pipeline("feature-extraction", env.MODEL_DIR, { quantized: env.MODEL_DTYPE === "q8" });
});
