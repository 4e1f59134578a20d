import type { AiGatewayRateLimit, LegacyRateLimit } from "@edgeserve/api";
import type { Principal } from "../identity/principal";

export type LimitDimension = "calls" | "tokens";

/** Whose budget a limit counts against. */
type LimitScope =
  | { kind: "endpoint" }
  | { kind: "user" | "service_principal"; name: string; specific: boolean }
  | { kind: "user_group"; group: string };

/** One per-minute budget that applies to a query. */
export interface AppliedLimit {
  dimension: LimitDimension;
  /** calls or tokens per minute. */
  max: number;
  scope: LimitScope;
  /** The Redis identifier of the budget: shared by everyone the scope covers. */
  identifier: string;
}

/** What rate limits an endpoint row carries: `ai_gateway.rate_limits` and the legacy top-level `rate_limits`. */
export function configuredLimits(aiGateway: unknown, legacy: unknown): AiGatewayRateLimit[] {
  const fromGateway = ((aiGateway as { rate_limits?: AiGatewayRateLimit[] } | null)?.rate_limits ??
    []) as AiGatewayRateLimit[];
  const fromLegacy = ((legacy as LegacyRateLimit[] | null) ?? []).map(
    (l): AiGatewayRateLimit => ({ calls: l.calls, key: l.key ?? "endpoint", renewal_period: "minute" }),
  );
  // Both may be set on an endpoint created through the legacy API and later given an ai_gateway: all must allow.
  return [...fromGateway, ...fromLegacy];
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The limits a caller is subject to:
 *  - every `endpoint` limit (a global budget for the endpoint);
 *  - the caller's own budget, chosen in this order:
 *      1. a limit naming them (`user` / `service_principal` with `principal`) — it overrides their groups';
 *      2. else the limits of every `user_group` they belong to, each budget shared by all the group's members;
 *      3. else the per-caller default (`user` / `service_principal` without `principal`; a service
 *         principal with no default of its own gets the per-user default).
 * Each entry may set `calls`, `tokens` or both; each is a separate budget.
 */
export function applicableLimits(
  limits: AiGatewayRateLimit[],
  principal: Pick<Principal, "kind" | "name" | "groupNames">,
  endpointId: string,
): AppliedLimit[] {
  const byKey = (key: AiGatewayRateLimit["key"]) => limits.filter((l) => (l.key ?? "endpoint") === key);
  const endpointLimits = byKey("endpoint");
  const own = byKey(principal.kind).filter((l) => l.principal !== undefined && sameName(l.principal, principal.name));
  const groups = byKey("user_group").filter((l) => principal.groupNames.some((g) => sameName(g, l.principal!)));
  let defaults = byKey(principal.kind).filter((l) => l.principal === undefined);
  if (defaults.length === 0 && principal.kind === "service_principal")
    defaults = byKey("user").filter((l) => l.principal === undefined);

  const out: AppliedLimit[] = [];
  const add = (limit: AiGatewayRateLimit, scope: LimitScope) => {
    for (const dimension of ["calls", "tokens"] as const) {
      const max = limit[dimension];
      if (max === undefined) continue;
      out.push({ dimension, max, scope, identifier: `${endpointId}:${scopeKey(scope)}` });
    }
  };
  for (const l of endpointLimits) add(l, { kind: "endpoint" });
  if (own.length > 0) for (const l of own) add(l, { kind: principal.kind, name: principal.name, specific: true });
  else if (groups.length > 0) for (const l of groups) add(l, { kind: "user_group", group: l.principal! });
  else for (const l of defaults) add(l, { kind: principal.kind, name: principal.name, specific: false });
  return out;
}

function scopeKey(scope: LimitScope): string {
  switch (scope.kind) {
    case "endpoint":
      return "endpoint";
    case "user_group":
      return `group:${scope.group.toLowerCase()}`;
    default:
      // A caller's own and default budgets are one counter: only one of them ever applies at a time.
      return `${scope.kind}:${scope.name.toLowerCase()}`;
  }
}

/** "the limit of 10 calls per minute for user 'alice@example.com'", for error messages. */
export function describeLimit(limit: Pick<AppliedLimit, "dimension" | "max" | "scope">): string {
  const unit =
    limit.dimension === "calls" ? (limit.max === 1 ? "call" : "calls") : limit.max === 1 ? "token" : "tokens";
  const rate = `${limit.max} ${unit} per minute`;
  const s = limit.scope;
  switch (s.kind) {
    case "endpoint":
      return `endpoint rate limit of ${rate}`;
    case "user_group":
      return `rate limit of ${rate} shared by group '${s.group}'`;
    default: {
      const who = s.kind === "user" ? "user" : "service principal";
      return s.specific
        ? `rate limit of ${rate} for ${who} '${s.name}'`
        : `per-${s.kind === "user" ? "user" : "service-principal"} rate limit of ${rate} (for ${who} '${s.name}')`;
    }
  }
}

/** A budget that refused the query, and when it has room again (epoch ms). */
export interface Violation {
  limit: AppliedLimit;
  reset: number;
}

/**
 * Several limits may refuse the same query; the strictest (the smallest budget, calls before tokens at
 * equal size) is the one named, and the client may retry when every refusing budget has reset.
 */
export function strictestViolation(
  violations: Violation[],
  now: number,
): { limit: AppliedLimit; retryAfterSeconds: number } | null {
  if (violations.length === 0) return null;
  const sorted = [...violations].sort(
    (a, b) =>
      a.limit.max - b.limit.max ||
      (a.limit.dimension === b.limit.dimension ? 0 : a.limit.dimension === "calls" ? -1 : 1),
  );
  const latestReset = Math.max(...violations.map((v) => v.reset));
  return { limit: sorted[0]!.limit, retryAfterSeconds: Math.max(1, Math.ceil((latestReset - now) / 1000)) };
}

export function limitExceededMessage(endpointName: string, limit: AppliedLimit, retryAfterSeconds: number): string {
  return (
    `REQUEST_LIMIT_EXCEEDED: Exceeded the ${describeLimit(limit)} on endpoint '${endpointName}'. ` +
    `Retry after ${retryAfterSeconds} s.`
  );
}
