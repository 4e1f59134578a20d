/**
 * workerd forbids compiling WebAssembly from bytes at run time ("Wasm code generation disallowed by
 * embedder"). The ONNX Runtime binary is therefore imported as a module (wrangler precompiles it) and
 * ONNX Runtime's Emscripten loader is handed a placeholder `wasmBinary`: when the loader passes that
 * placeholder to `WebAssembly.instantiate`, we instantiate the precompiled module instead.
 * Every other call goes to the real `WebAssembly.instantiate` untouched.
 */
const placeholder = new ArrayBuffer(8);
let installed = false;

/** Installs the redirect once per isolate; returns the placeholder to set as `ort.env.wasm.wasmBinary`. */
export function redirectWasmInstantiation(precompiled: WebAssembly.Module): ArrayBuffer {
  if (installed) return placeholder;
  installed = true;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => Promise<unknown>;

  const redirected = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (isPlaceholder(source)) {
      const instance = (await instantiate(precompiled, imports)) as WebAssembly.Instance;
      return { instance, module: precompiled };
    }
    return instantiate(source, imports);
  };
  (WebAssembly as { instantiate: unknown }).instantiate = redirected;
  return placeholder;
}

function isPlaceholder(source: unknown): boolean {
  if (source === placeholder) return true;
  return ArrayBuffer.isView(source) && source.buffer === placeholder;
}
