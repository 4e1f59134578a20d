import type { LiveEndpoint } from "../endpoints/live-endpoint";
import type { StoredServedEntity } from "../endpoints/stored-config";
import type { Principal } from "../identity/principal";

/**
 * One query, as the gateway learns it: made once its endpoint is found (startQuery in handle-query.ts),
 * handed down the query path, and filled in by each stage in turn. The middleware around the query
 * routes read it once the response is ready, metrics/track-query-outcomes.ts for the query's outcome and
 * payload-logs/capture.ts for its payload log, so nothing is read back from response headers.
 */
export interface Query {
  readonly requestId: string;
  readonly principal: Principal;
  readonly endpoint: LiveEndpoint;
  /** Set when answerQuery starts on the body (after the route read it): when, and the body as received. */
  answering?: { readonly startedAt: number; readonly received: Record<string, unknown> };
  /**
   * Picked by traffic or named by the route (after a fallback: the entity tried last); unset while the query is
   * refused before that.
   */
  entity?: StoredServedEntity;
  /** What was sent on to the model: the body as the input guardrails passed it (PII masked). */
  sent?: Record<string, unknown>;
  /**
   * With `ai_gateway.fallback_config` on, once a query fell back: every attempt that failed, in order, the
   * last one too when all failed (it is then `entity`'s). Unset when no attempt fell back.
   */
  failedAttempts?: FailedAttempt[];
  /** The entity whose answer is the response; unset for an error response, even after an entity was picked. */
  answeredBy?: string;
}

/** One entity of a query that fell back: how its attempt failed, and when (for usage events and payload logs). */
export interface FailedAttempt {
  readonly entity: string;
  readonly status: number;
  readonly errorCode: string;
  readonly startedAt: number;
  readonly latencyMs: number;
}
