// For tests of the gateway's limiters in Node: a throwaway redis-server and the bridge over it, started
// before the file's tests and stopped after, and the gateway env that points at them.
import crypto from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Env } from "../../workers/gateway/src/env";
import { type LocalRedis, type UpstashBridge, redisServerAvailable, startRedis, startUpstashBridge } from "./index.mjs";

export interface LocalUpstash {
  /** redis-server can run here; when false, nothing is started (skip the tests). */
  available: boolean;
  /** UPSTASH_REDIS_REST_URL / _TOKEN of the bridge, as the gateway reads them. */
  env(): Env;
  bridge(): UpstashBridge;
  /** The bridge's bearer token. */
  token: string;
}

export function useLocalUpstash(): LocalUpstash {
  const available = redisServerAvailable();
  const token = `test-${crypto.randomBytes(8).toString("hex")}`;
  let redisServer: LocalRedis | undefined;
  let bridge: UpstashBridge | undefined;
  beforeAll(async () => {
    if (!available) return;
    redisServer = await startRedis();
    bridge = await startUpstashBridge({ redisPort: redisServer.port, port: 0, token });
  });
  afterAll(async () => {
    await bridge?.close();
    await redisServer?.stop();
  });
  return {
    available,
    env: () => ({ UPSTASH_REDIS_REST_URL: bridge!.url, UPSTASH_REDIS_REST_TOKEN: token }) as unknown as Env,
    bridge: () => bridge!,
    token,
  };
}
