/**
 * workerd forbids compiling WebAssembly from bytes at run time ("Wasm code generation disallowed by
 * embedder"). WASM binaries (ONNX Runtime's, TF.js' WASM backend's) are therefore imported as modules
 * (wrangler precompiles them), and their Emscripten loaders are handed a placeholder buffer instead of the
 * bytes: when a loader passes a placeholder to `WebAssembly.instantiate`, we instantiate the precompiled
 * module it stands for. Every other call goes to the real `WebAssembly.instantiate` untouched.
 */
const modules = new Map<ArrayBuffer, WebAssembly.Module>();
const placeholders = new Map<WebAssembly.Module, ArrayBuffer>();
let installed = false;

/** The placeholder standing for `precompiled` (one per module per isolate); installs the redirect once. */
export function placeholderFor(precompiled: WebAssembly.Module): ArrayBuffer {
  install();
  let placeholder = placeholders.get(precompiled);
  if (!placeholder) {
    placeholder = new ArrayBuffer(8);
    placeholders.set(precompiled, placeholder);
    modules.set(placeholder, precompiled);
  }
  return placeholder;
}

function install(): void {
  if (installed) return;
  installed = true;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => Promise<unknown>;

  const redirected = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    const precompiled = moduleFor(source);
    if (precompiled) {
      const instance = (await instantiate(precompiled, imports)) as WebAssembly.Instance;
      return { instance, module: precompiled };
    }
    return instantiate(source, imports);
  };
  (WebAssembly as { instantiate: unknown }).instantiate = redirected;
}

function moduleFor(source: unknown): WebAssembly.Module | undefined {
  if (source instanceof ArrayBuffer) return modules.get(source);
  if (ArrayBuffer.isView(source) && source.buffer instanceof ArrayBuffer) return modules.get(source.buffer);
  return undefined;
}
