import { ApiError } from "@edgeserve/api";
import type { LiveEndpoint } from "../endpoints/live-endpoint";
import type { Env } from "../env";
import type { Principal } from "../identity/principal";
import {
  type AppliedLimit,
  type Violation,
  applicableLimits,
  configuredLimits,
  limitExceededMessage,
  strictestViolation,
} from "./applicable-limits";
import { cacheKey, callLeases, ephemeralCache, limiterFor, pruneEphemeralCache, upstash } from "./limiters";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * Per isolate: endpoint row → caller → the limits that apply. Keyed by the objects themselves, not by the
 * config version (PUT …/ai-gateway does not bump it): the endpoint and token caches hand out a new row or
 * principal object whenever they reload one, so a changed limit or group membership is a new key.
 */
const appliedLimits = new WeakMap<object, WeakMap<Principal, AppliedLimit[]>>();

/** The limits of this endpoint that apply to this caller. */
function limitsFor(endpoint: LiveEndpoint, principal: Principal): AppliedLimit[] {
  let byCaller = appliedLimits.get(endpoint.row);
  if (!byCaller) appliedLimits.set(endpoint.row, (byCaller = new WeakMap()));
  let limits = byCaller.get(principal);
  if (!limits) {
    const all = configuredLimits(endpoint.row.aiGateway, endpoint.row.rateLimits);
    limits = all.length === 0 ? [] : applicableLimits(all, principal, endpoint.row.id);
    byCaller.set(principal, limits);
    // The limits may have changed (a raised budget): forget blocks this isolate remembered under the old
    // ones, so the next query asks Redis instead of being refused until the window resets.
    for (const l of limits) ephemeralCache.delete(cacheKey(l.dimension, l.identifier));
  }
  return limits;
}

function logFailure(what: string, error: unknown): void {
  // Fail open: a Redis outage must not take serving down. The log says so.
  console.error(
    JSON.stringify({ type: "rate_limit_error", what, message: error instanceof Error ? error.message : String(error) }),
  );
}

/** A limit whose check failed counts as no answer (fail open), after logging why. */
function failedAs(what: string, error: unknown): null {
  logFailure(what, error);
  return null;
}

/**
 * Refuses the query with 429 REQUEST_LIMIT_EXCEEDED (with Retry-After) if any rate limit that applies to
 * the caller is spent: each calls budget is charged one call (all must allow; when one refuses, the
 * others get their call back), and each tokens budget must have tokens left (it is charged afterwards
 * by `chargeTokens`). A caller already known to be over a budget is refused from the per-isolate
 * cache without a Redis round trip. Without Upstash configured, nothing is enforced.
 */
export async function enforceRateLimits(
  env: Env,
  endpoint: LiveEndpoint,
  principal: Principal,
  waitUntil: WaitUntil,
): Promise<void> {
  const limits = limitsFor(endpoint, principal);
  if (limits.length === 0) return;
  const now = Date.now();
  const violations: Violation[] = [];
  // A zero budget refuses everything; no need to ask Redis.
  for (const l of limits) if (l.max === 0) violations.push({ limit: l, reset: now + 1000 });
  if (violations.length > 0) throw exceeded(endpoint, violations, now);

  const client = upstash(env);
  if (!client) return;

  // Known to be over a budget (this isolate saw it refused): refuse without asking Redis about any budget.
  pruneEphemeralCache(now);
  for (const l of limits) {
    const blockedUntil = ephemeralCache.get(cacheKey(l.dimension, l.identifier));
    if (blockedUntil !== undefined && blockedUntil > now) violations.push({ limit: l, reset: blockedUntil });
  }
  if (violations.length > 0) throw exceeded(endpoint, violations, now);

  const calls = limits.filter((l) => l.dimension === "calls");
  const tokens = limits.filter((l) => l.dimension === "tokens");
  const [callResults, tokenResults] = await Promise.all([
    Promise.all(calls.map((l) => chargeCall(client, l, now, waitUntil).catch((e) => failedAs("calls", e)))),
    Promise.all(tokens.map((l) => tokensLeft(client, l).catch((e) => failedAs("tokens", e)))),
  ]);

  callResults.forEach((r, i) => {
    if (r && !r.success && r.reason !== "timeout") violations.push({ limit: calls[i]!, reset: r.reset });
  });
  tokenResults.forEach((r, i) => {
    if (r && r.remaining <= 0) violations.push({ limit: tokens[i]!, reset: r.reset });
  });
  if (violations.length === 0) return;

  // All must allow: give back the calls this refused query took from the budgets that did allow it.
  callResults.forEach((r, i) => r?.leased && callLeases.giveBack(calls[i]!.identifier));
  const refunds = callResults.flatMap((r, i) =>
    r?.success && !r.leased && r.reason === undefined
      ? [limiterFor(client, "calls", calls[i]!.max).limit(calls[i]!.identifier, { rate: -1 })]
      : [],
  );
  if (refunds.length > 0) waitUntil(Promise.all(refunds).catch((e) => logFailure("refund", e)));
  throw exceeded(endpoint, violations, Date.now());
}

type Upstash = NonNullable<ReturnType<typeof upstash>>;

/** How a calls budget answered: Redis's answer, or `leased` when the isolate's lease admitted the query. */
interface CallCharge {
  success: boolean;
  reset: number;
  reason?: string;
  leased?: boolean;
}

/**
 * Charges one call to a calls budget: from the isolate's lease when it holds one (topping the lease up in
 * the background when half is used), else in Redis, asking for a lease on top when the isolate is busy.
 */
async function chargeCall(
  client: Upstash,
  limit: AppliedLimit,
  now: number,
  waitUntil: WaitUntil,
): Promise<CallCharge> {
  const { identifier, max } = limit;
  const limiter = limiterFor(client, "calls", max);
  if (callLeases.take(identifier, now)) {
    const refill = callLeases.refillDue(identifier, max, now);
    if (refill > 0)
      waitUntil(
        limiter
          .limit(identifier, { rate: refill })
          .then((r) => {
            if (!r.success) ephemeralCache.delete(cacheKey("calls", identifier));
            callLeases.refilled(
              identifier,
              r.success && r.reason === undefined ? refill : 0,
              r.success ? r.remaining : 0,
              Date.now(),
            );
          })
          .catch((e) => {
            callLeases.refilled(identifier, 0, 0, Date.now());
            logFailure("lease", e);
          }),
      );
    return { success: true, reset: 0, leased: true };
  }
  const extra = callLeases.extraFor(identifier, max, now);
  let result = await limiter.limit(identifier, { rate: 1 + extra });
  if (!result.success && extra > 0) {
    // The budget could not cover a lease; that is no refusal of this query: lift the block the failed
    // call set in the ephemeral cache and ask for this query's call alone.
    callLeases.refused(identifier, now);
    ephemeralCache.delete(cacheKey("calls", identifier));
    result = await limiter.limit(identifier);
    if (result.success && result.reason === undefined) callLeases.admitted(identifier, 0, result.remaining, Date.now());
    return result;
  }
  if (result.success && result.reason === undefined)
    callLeases.admitted(identifier, extra, result.remaining, Date.now());
  return result;
}

/** Tokens left in a budget; a budget seen exhausted is remembered (per isolate) until its reset. */
async function tokensLeft(client: Upstash, limit: AppliedLimit): Promise<{ remaining: number; reset: number }> {
  const key = cacheKey("tokens", limit.identifier);
  const blockedUntil = ephemeralCache.get(key);
  if (blockedUntil !== undefined && blockedUntil > Date.now()) return { remaining: 0, reset: blockedUntil };
  const { remaining, reset } = await limiterFor(client, "tokens", limit.max).getRemaining(limit.identifier);
  if (remaining <= 0) ephemeralCache.set(key, reset);
  return { remaining, reset };
}

function exceeded(endpoint: LiveEndpoint, violations: Violation[], now: number): ApiError {
  const { limit, retryAfterSeconds } = strictestViolation(violations, now)!;
  return new ApiError("REQUEST_LIMIT_EXCEEDED", limitExceededMessage(endpoint.row.name, limit, retryAfterSeconds), {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

/**
 * Charges a finished query's real token count (prompt + completion, streamed or not) to every tokens
 * budget that applies to the caller. Called from the usage hand-off; the Redis writes run in waitUntil.
 * A budget this pushes past its size refuses the caller's next queries until it has room again.
 */
export function chargeTokens(
  env: Env,
  endpoint: LiveEndpoint,
  principal: Principal,
  tokenCount: number,
  waitUntil: WaitUntil,
): void {
  if (!(tokenCount > 0)) return;
  const limits = limitsFor(endpoint, principal).filter((l) => l.dimension === "tokens" && l.max > 0);
  if (limits.length === 0) return;
  const client = upstash(env);
  if (!client) return;
  const rate = Math.ceil(tokenCount);
  waitUntil(
    Promise.all(limits.map((l) => limiterFor(client, "tokens", l.max).limit(l.identifier, { rate }))).catch((e) =>
      logFailure("charge", e),
    ),
  );
}
