import type { InferenceRpc } from "@edgeserve/mlflow";
import type { DeploymentMessage } from "./endpoints/deployment-message";
import type { WorkersAiBinding } from "./serving/foundation-model/workers-ai/binding";
import type { UsageQueueItem } from "./serving/usage/staged-usage-event";
import type { PayloadLogMessage, PayloadLogPurgeMessage } from "./payload-logs/message";

/** The INFERENCE service binding: the inference worker's HTTP routes (fetch) and its RPC methods. */
export type InferenceBinding = Fetcher & InferenceRpc;

/** Bindings of the gateway worker (wrangler.toml) and its secrets (`wrangler secret put`). */
export interface Env {
  DB: D1Database;
  ARTIFACTS: R2Bucket;
  CACHE: KVNamespace;
  DEPLOYMENTS: Queue<DeploymentMessage>;
  /**
   * Usage records and query outcomes, batch-written to D1 by the usage consumer (usage API, metrics); packed by
   * queues/queue-batcher.ts.
   */
  USAGE_EVENTS: Queue<UsageQueueItem[]>;
  /**
   * Payload logging (inference tables): records go through this queue into R2 under payload-logs/<endpoint id>/
   * (packed by queues/queue-batcher.ts), and so do the purges of deleted endpoints' logs.
   */
  PAYLOAD_LOGS: Queue<PayloadLogMessage[] | PayloadLogPurgeMessage>;
  /** Bootstrap admin token; the principal it authenticates is a member of `admins`. */
  EDGESERVE_ADMIN_TOKEN?: string;
  /** 32 bytes, base64 (or hex): the AES-256-GCM key that encrypts secrets at rest. */
  EDGESERVE_MASTER_KEY?: string;
  /** During a master-key rotation: the old key, so values not yet re-encrypted still decrypt (routes/master-key.ts). */
  EDGESERVE_MASTER_KEY_PREVIOUS?: string;
  EDGESERVE_CACHE_TTL_MS?: string;
  EDGESERVE_UPSTREAM_TIMEOUT_S?: string;
  /** Days raw usage rows are kept (default 90, at least 30); retention/retention-settings.ts. */
  EDGESERVE_USAGE_RETENTION_DAYS?: string;
  /** Days payload logs are kept (default 30, at least 1); retention/retention-settings.ts. */
  EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS?: string;
  /**
   * Seconds an upstream may stay silent (before a stream's headers, between body reads) before the call ends with 504.
   */
  EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S?: string;
  /**
   * Upstash Redis REST endpoint for rate limits (locally: infra/upstash-bridge over redis-server). Unset: limits not
   * enforced.
   */
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** JSON map provider → base URL, overriding providers' public APIs (local mocks, self-hosted proxies). */
  EDGESERVE_PROVIDER_BASE_URLS?: string;
  /** Guardrails: the embeddings endpoint `valid_topics` compares with (default `embeddings`). */
  EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT?: string;
  /** Guardrails: cosine similarity a text needs to some valid topic (default 0.5). */
  EDGESERVE_GUARDRAILS_TOPIC_THRESHOLD?: string;
  /** Guardrails: the classifier endpoint for `safety` when the config names none. */
  EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT?: string;
  /**
   * The inference worker (edgeserve-inference, entrypoint InferenceService) that runs registry models: queries
   * call its RPC method `predict`, the rest its HTTP routes. Unset: custom-model queries answer 503.
   */
  INFERENCE?: InferenceBinding;
  /** Workers AI (`[ai] binding = "AI"`, production only): a backend of Foundation Model APIs. */
  AI?: WorkersAiBinding;
  /** JSON: the Foundation Model APIs served here, their backends, prices and limits (docs/foundation-models.md). */
  EDGESERVE_FOUNDATION_MODELS?: string;
  /** The console's static files (wrangler.toml [assets], packages/console/dist); served by routes/console.ts. */
  ASSETS?: Fetcher;
}

/**
 * The gateway's Hono environment. Context variables are declared beside what sets them (Hono's
 * ContextVariableMap): `requestId`, `db` and `principal` in middleware/, `query` in serving/handle-query.ts.
 */
export type AppEnv = { Bindings: Env };
