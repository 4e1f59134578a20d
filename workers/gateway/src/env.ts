import type { Database } from "@edgeserve/db";
import type { Principal } from "./identity/principal";
import type { DeploymentMessage } from "./endpoints/deployment-message";

/** Bindings of the gateway worker (wrangler.toml) and its secrets (`wrangler secret put`). */
export interface Env {
  DB: D1Database;
  ARTIFACTS: R2Bucket;
  CACHE: KVNamespace;
  DEPLOYMENTS: Queue<DeploymentMessage>;
  /** Bootstrap admin token; the principal it authenticates is a member of `admins`. */
  EDGESERVE_ADMIN_TOKEN?: string;
  /** 32 bytes, base64 (or hex): the AES-256-GCM key that encrypts secrets at rest. */
  EDGESERVE_MASTER_KEY?: string;
  EDGESERVE_CACHE_TTL_MS?: string;
  EDGESERVE_UPSTREAM_TIMEOUT_S?: string;
  /** Upstash Redis REST endpoint for rate limits (locally: infra/upstash-bridge over redis-server). Unset: limits not enforced. */
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** JSON map provider → base URL, overriding providers' public APIs (local mocks, self-hosted proxies). */
  EDGESERVE_PROVIDER_BASE_URLS?: string;
  /** The inference worker (service edgeserve-inference): in-worker models such as the built-in embeddings encoder. */
  INFERENCE?: Fetcher;
}

export interface AppVariables {
  requestId: string;
  db: Database;
  /** Set by the authenticate middleware on every /api and /serving-endpoints route. */
  principal: Principal;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
