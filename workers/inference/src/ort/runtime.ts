import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { placeholderFor } from "../wasm/redirect-instantiation";

export type Ort = typeof import("onnxruntime-web");

let ortPromise: Promise<Ort> | undefined;

/**
 * ONNX Runtime Web, configured for workerd: single-threaded (no Web Workers), no proxy worker, and the
 * binary taken from the precompiled module. Imported lazily: the library touches `crypto` at import
 * time, which workerd forbids outside a request. transformers.js imports the same module (wrangler and
 * vitest alias its `onnxruntime-web/webgpu` to the CPU build), so both share this one configured runtime.
 */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= (async () => {
    const ort = (await import("onnxruntime-web/wasm")) as unknown as Ort;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmBinary = placeholderFor(ortWasm);
    // A wasm entry and no mjs entry: the loader uses the glue code embedded in the bundle instead of
    // looking for a script URL, and transformers.js does not point it at a CDN.
    ort.env.wasm.wasmPaths = { wasm: "https://onnxruntime.invalid/ort-wasm-simd-threaded.wasm" };
    return ort;
  })();
  ortPromise.catch(() => (ortPromise = undefined));
  return ortPromise;
}
