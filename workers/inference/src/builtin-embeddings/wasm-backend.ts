import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import simdWasm from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm";
import { placeholderFor } from "../wasm/redirect-instantiation";

/** The URL the backend asks for; answered below with the placeholder of the precompiled module. */
const SIMD_WASM_URL = "https://tfjs-backend-wasm.invalid/tfjs-backend-wasm-simd.wasm";

/**
 * TF.js' WASM backend (XNNPACK kernels, SIMD, one thread) in place of its pure-JS CPU kernels: the same
 * graph, several times faster per sentence. workerd cannot compile WASM from bytes, so the SIMD binary is
 * imported precompiled and the backend's loader, which fetches the binary with the platform's `fetch` when
 * told to (setWasmPaths' second argument), gets the placeholder that stands for it (../wasm/). No threads:
 * a worker has no Web Workers or SharedArrayBuffer.
 */
export async function useWasmBackend(): Promise<void> {
  // Production mode skips TF.js' per-op debug checks.
  tf.enableProdMode();
  if (tf.getBackend() === "wasm") return;
  tf.env().set("WASM_HAS_SIMD_SUPPORT", true);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  const platform = tf.env().platform;
  const fetchThrough = platform.fetch.bind(platform);
  const placeholder = placeholderFor(simdWasm);
  platform.fetch = (path: string, init?: RequestInit) =>
    path === SIMD_WASM_URL
      ? Promise.resolve({ ok: true, arrayBuffer: async () => placeholder } as unknown as Response)
      : fetchThrough(path, init);
  // The backend wants an entry for every binary; with SIMD on and threads off it only asks for this one.
  setWasmPaths(
    {
      "tfjs-backend-wasm.wasm": SIMD_WASM_URL,
      "tfjs-backend-wasm-simd.wasm": SIMD_WASM_URL,
      "tfjs-backend-wasm-threaded-simd.wasm": SIMD_WASM_URL,
    },
    true,
  );
  if (!(await tf.setBackend("wasm"))) throw new Error("TF.js' WASM backend failed to initialise");
  await tf.ready();
}
