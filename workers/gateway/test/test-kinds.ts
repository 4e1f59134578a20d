/**
 * How a gateway test file's name says where it runs (docs/CONVENTIONS.md, Tests):
 * - `*.test.ts`: a unit test of pure code, in Node (project gateway-unit);
 * - `*.workerd.test.ts`: code called directly with real bindings (D1, R2, KV, queues), in workerd (gateway);
 * - `*.integration.test.ts`: requests through the worker's fetch (test/client.ts), in workerd (gateway);
 * - `*.with-inference.test.ts` and `*.two-isolates.test.ts`: integration tests with another worker beside the
 *   gateway, in workerd (gateway-inference, gateway-isolates).
 */
export const WORKERD_TESTS = [
  "**/*.workerd.test.ts",
  "**/*.integration.test.ts",
  "**/*.with-inference.test.ts",
  "**/*.two-isolates.test.ts",
];
