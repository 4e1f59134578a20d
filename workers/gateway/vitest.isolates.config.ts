import { fakeInference } from "./test/fake-inference.ts";
import { peerGatewayWorker } from "./test/peer-gateway.ts";
import { TEST_SECRETS, gatewayProject } from "./test/vitest-project.ts";

// Tests of what one isolate sees of another's writes (the per-isolate caches' staleness bound), named
// *.two-isolates.test.ts: PEER is a second gateway over the same storage (test/peer-gateway.ts).
export default gatewayProject({
  name: "gateway-isolates",
  include: ["src/**/*.two-isolates.test.ts"],
  miniflare: () => ({
    workers: [peerGatewayWorker(TEST_SECRETS), fakeInference.worker],
    serviceBindings: { INFERENCE: fakeInference.binding, PEER: "edgeserve-gateway-peer" },
  }),
});
