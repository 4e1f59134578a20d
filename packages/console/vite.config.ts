import { defineConfig } from "vite";

// JSX compiles to Preact's automatic runtime (tsconfig says the same for the type checker). No plugin: the
// console needs no HMR tricks, and fewer build dependencies keep the Node 20 toolchain simple.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The gateway's CSP allows no inline script or style: never inline assets into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
  },
});
