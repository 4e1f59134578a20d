import { fakeInference } from "./test/fake-inference.ts";
import { gatewayProject } from "./test/vitest-project.ts";

// The gateway's tests that need workerd (*.workerd.test.ts, *.integration.test.ts; test/test-kinds.ts); the
// inference worker is another worker, so INFERENCE is a contract-checking stand-in here (tests that need the
// real one run in vitest.inference.config.ts). Pure unit tests run in Node: vitest.unit.config.ts.
export default gatewayProject({
  name: "gateway",
  include: [
    "src/**/*.workerd.test.ts",
    "src/**/*.integration.test.ts",
    "test/**/*.workerd.test.ts",
    "test/**/*.integration.test.ts",
  ],
  // Two files at a time on CI's 2 cores: a file's workerd and vite's module runner wait on each other, so one
  // file alone leaves a core idle.
  maxWorkers: 2,
  miniflare: { workers: [fakeInference.worker], serviceBindings: { INFERENCE: fakeInference.binding } },
});
