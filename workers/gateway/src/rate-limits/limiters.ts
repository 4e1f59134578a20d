import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../env";
import type { LimitDimension } from "./applicable-limits";
import { CallLeases } from "./call-leases";

/** Secrets of the gateway (`wrangler secret put`); locally, vars pointing at infra/upstash-bridge. */
interface UpstashEnv {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
}

const WINDOW = "60 s";
/** If Upstash does not answer within this, the query is let through (a Redis outage must not stop serving). */
const TIMEOUT_MS = 2_000;
const KEY_PREFIX = "edgeserve:rl";

/**
 * Per-isolate: callers known to be over a budget, until its reset (identifier → epoch ms). @upstash/ratelimit
 * consults it before any Redis call, so a caller hammering a limit costs no round trip until it resets.
 */
export const ephemeralCache = new Map<string, number>();

/** Per-isolate: calls already charged to Redis that busy budgets admit without a round trip (call-leases.ts). */
export const callLeases = new CallLeases();

let redis: { url: string; token: string; client: Redis } | null = null;
let lastPrune = 0;

/**
 * Forgets blocks that have expired. @upstash/ratelimit drops an entry only when the same caller comes
 * back; callers that never return would otherwise stay in memory until the isolate is recycled.
 */
export function pruneEphemeralCache(now = Date.now()): void {
  if (ephemeralCache.size < 1000 || now - lastPrune < 1000) return;
  lastPrune = now;
  for (const [key, until] of ephemeralCache) if (until <= now) ephemeralCache.delete(key);
}
const limiters = new Map<string, Ratelimit>();
let warned = false;

/** The Upstash client, or null (and a one-time warning) when UPSTASH_REDIS_REST_URL / _TOKEN are not set. */
export function upstash(env: Env): Redis | null {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env as Env & UpstashEnv;
  if (!url || !token) {
    if (!warned) {
      warned = true;
      console.warn(
        JSON.stringify({
          type: "rate_limits_disabled",
          message: "UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN are not set: rate limits are not enforced.",
        }),
      );
    }
    return null;
  }
  if (!redis || redis.url !== url || redis.token !== token) {
    // No auto-pipelining: it builds a fresh Pipeline per command (hundreds of per-instance closures, a hot spot in
    // the bench profiles: bench/findings.json) to batch commands of one tick, and a query sends one command.
    redis = {
      url,
      token,
      client: new Redis({
        url,
        token,
        enableTelemetry: false,
        enableAutoPipelining: false,
        retry: { retries: 1, backoff: () => 50 },
      }),
    };
    limiters.clear();
    ephemeralCache.clear();
    callLeases.clear();
  }
  return redis.client;
}

/**
 * A sliding-window limiter of `max` per minute. Calls and tokens have separate key spaces; limiters of
 * every size share the ephemeral cache (its keys include the identifier, which is unique per budget).
 */
export function limiterFor(client: Redis, dimension: LimitDimension, max: number): Ratelimit {
  const id = `${dimension}:${max}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new Ratelimit({
      redis: client,
      limiter: Ratelimit.slidingWindow(max, WINDOW),
      prefix: `${KEY_PREFIX}:${dimension}`,
      ephemeralCache,
      timeout: TIMEOUT_MS,
      analytics: false,
    });
    limiters.set(id, limiter);
  }
  return limiter;
}

/** The key @upstash/ratelimit uses for an identifier (and under which the ephemeral cache holds it). */
export function cacheKey(dimension: LimitDimension, identifier: string): string {
  return `${KEY_PREFIX}:${dimension}:${identifier}`;
}

/** For tests: forget the client, limiters and cached blocks of this isolate. */
export function resetLimitersForTests(): void {
  redis = null;
  limiters.clear();
  ephemeralCache.clear();
  callLeases.clear();
  warned = false;
  lastPrune = 0;
}
