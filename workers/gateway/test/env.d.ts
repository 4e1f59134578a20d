import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { Env as GatewayEnv } from "../src/env";

// `env` (from cloudflare:workers in tests) is the gateway's Env plus the migrations the setup file applies.
declare global {
  namespace Cloudflare {
    interface Env extends GatewayEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** In *.two-isolates.test.ts: another gateway isolate over the same storage (test/peer-gateway.ts). */
      PEER: Fetcher;
    }
  }
}
