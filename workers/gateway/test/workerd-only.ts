// Stands in for the `cloudflare:*` modules in the gateway's Node project (vitest.unit.config.ts): a test
// that reaches one, directly or through a helper, needs workerd and fails here instead of running without
// its bindings. Rename it `*.workerd.test.ts` (bindings, functions called directly) or
// `*.integration.test.ts` (requests through the worker's fetch); see docs/CONVENTIONS.md.
throw new Error(
  "This test imports a cloudflare:* module (bindings, cloudflare:test, or test/client.ts), so it runs in workerd: " +
    "name it *.workerd.test.ts or *.integration.test.ts (docs/CONVENTIONS.md, Tests).",
);
