import { inferenceAuxiliaryWorker } from "../inference/test/auxiliary-worker";
import { modelPackageBinding } from "../inference/test/test-support.mjs";
import { gatewayProject } from "./test/vitest-project.ts";

// The gateway with the real inference worker behind INFERENCE (built as in production), for the tests
// named *.with-inference.test.ts. MODEL_PACKAGE serves the built-in encoder's files to seed R2.
// Built when this project runs (not on every vitest run), once for all its files.
let inference: ReturnType<typeof inferenceAuxiliaryWorker> | undefined;
export default gatewayProject({
  name: "gateway-inference",
  include: ["src/**/*.with-inference.test.ts", "test/**/*.with-inference.test.ts"],
  miniflare: () => ({
    workers: [{ ...(inference ??= inferenceAuxiliaryWorker()) }],
    serviceBindings: { MODEL_PACKAGE: modelPackageBinding },
  }),
});
