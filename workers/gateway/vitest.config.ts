import { fakeInferenceWorker } from "./test/fake-inference.ts";
import { gatewayProject } from "./test/vitest-project.ts";

// Unit and integration tests of the gateway; the inference worker is another worker, so INFERENCE is a
// contract-checking stand-in here (tests that need the real one run in vitest.inference.config.ts).
export default gatewayProject({
  name: "gateway",
  include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  exclude: ["**/*.with-inference.test.ts", "**/*.two-isolates.test.ts"],
  miniflare: { serviceBindings: { INFERENCE: fakeInferenceWorker } },
});
