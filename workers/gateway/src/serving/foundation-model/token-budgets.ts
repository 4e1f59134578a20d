import { ApiError, errors } from "@edgeserve/api";
import type { Env } from "../../env";
import { upstash } from "../../rate-limits/limiters";

/**
 * Admits a query if every budget has room for what it reserves, and then charges all of them, atomically
 * (one script, so concurrent queries cannot both take the last tokens). Budgets are fixed windows (the clock
 * minute, hour or throughput window): a refused caller may retry when the window resets.
 * KEYS: one counter per budget, then the backend's reservations hash (tokens/s per provisioned endpoint).
 * ARGV per budget: limit, need, window ms, and the seconds of reserved throughput to take off the limit
 * (0 but for pay-per-token traffic on a backend with a capacity, which gets what the reservations leave).
 * Returns the indexes of the budgets that refused, empty when admitted.
 */
const ADMIT = `
local n = #KEYS - 1
local reserved = 0
for _, v in ipairs(redis.call("HVALS", KEYS[n + 1])) do reserved = reserved + tonumber(v) end
local refused = {}
for i = 1, n do
  local limit = tonumber(ARGV[i * 4 - 3]) - tonumber(ARGV[i * 4]) * reserved
  local need = tonumber(ARGV[i * 4 - 2])
  local used = tonumber(redis.call("GET", KEYS[i]) or "0")
  if used + math.max(need, 1) > limit then table.insert(refused, i) end
end
if #refused > 0 then return refused end
for i = 1, n do
  local add = tonumber(ARGV[i * 4 - 2])
  if add > 0 then
    if redis.call("INCRBY", KEYS[i], add) == add then redis.call("PEXPIRE", KEYS[i], tonumber(ARGV[i * 4 - 1])) end
  end
end
return refused
`;

/**
 * Corrects a window's charge by the real count (a reservation that was too high or too low), if the window is
 * still live.
 */
const SETTLE = `
for i = 1, #KEYS do
  local delta = tonumber(ARGV[i])
  if delta ~= 0 and redis.call("EXISTS", KEYS[i]) == 1 then redis.call("INCRBY", KEYS[i], delta) end
end
return 0
`;

/** One budget a query is charged to. */
export interface TokenBudget {
  /** How the refusal names it: `100 output tokens per minute`. */
  what: string;
  limit: number;
  need: number;
  windowMs: number;
  /** Redis key of the budget, without its window. */
  key: string;
  /** What the real counts of the answered query charge (corrects `need` at settlement). */
  charge: (promptTokens: number, completionTokens: number) => number;
  /** Seconds of the backend's reserved throughput to take off `limit` (pay-per-token share), default 0. */
  reservedSeconds?: number;
}

/** What an admitted query reserved, to settle with its real token counts. */
export interface Reservation {
  settle(promptTokens: number, completionTokens: number, waitUntil: (p: Promise<unknown>) => void): void;
}

const NOTHING_RESERVED: Reservation = { settle() {} };

/** Redis hash of a catalogue model's reservations (endpoint id → tokens/s), mirrored from D1 at deployment. */
export function reservationsKey(model: string): string {
  return `edgeserve:pt:reserved:${model}`;
}

function logLimiterFailure(what: string, error: unknown): void {
  // Fail open, as the AI Gateway limits do: a Redis outage must not stop serving. The log says so.
  console.error(
    JSON.stringify({ type: "rate_limit_error", what, message: error instanceof Error ? error.message : String(error) }),
  );
}

/**
 * Charges a query to its budgets, or throws 429 REQUEST_LIMIT_EXCEEDED (with Retry-After until the refusing
 * windows reset) worded by `refusal`. A query that could never fit a budget is a 400 worded by `tooBig`.
 */
export async function admitTokenBudgets(
  env: Env,
  options: {
    what: string;
    budgets: TokenBudget[];
    /** The reservations hash read by budgets with `reservedSeconds`. */
    reservations?: string;
    tooBig: (budget: TokenBudget) => string;
    refusal: (tightest: string, retryAfter: number) => string;
  },
): Promise<Reservation> {
  const { budgets } = options;
  if (budgets.length === 0) return NOTHING_RESERVED;
  for (const b of budgets) if (b.limit > 0 && b.need > b.limit) throw errors.invalid(options.tooBig(b));
  const client = upstash(env);
  if (!client) return NOTHING_RESERVED;
  const now = Date.now();
  const windowStart = (b: TokenBudget) => now - (now % b.windowMs);
  const keys = budgets.map((b) => `${b.key}:${windowStart(b)}`);
  const args = budgets.flatMap((b) => [b.limit, b.need, b.windowMs, b.reservedSeconds ?? 0].map(String));
  let refused: number[];
  try {
    refused = (await client.eval(
      ADMIT,
      [...keys, options.reservations ?? "edgeserve:pt:reserved:none"],
      args,
    )) as number[];
  } catch (e) {
    logLimiterFailure(options.what, e);
    return NOTHING_RESERVED;
  }
  if (refused.length > 0) {
    const hit = refused.map((i) => budgets[i - 1]!);
    const reset = Math.max(...hit.map((b) => windowStart(b) + b.windowMs));
    const retryAfter = Math.max(1, Math.ceil((reset - now) / 1000));
    const tightest = hit.map((b) => b.what).join(" and ");
    throw new ApiError("REQUEST_LIMIT_EXCEEDED", options.refusal(tightest, retryAfter), {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
  return {
    settle(promptTokens, completionTokens, waitUntil) {
      const deltas = budgets.map((b) => b.charge(promptTokens, completionTokens) - b.need);
      const live = deltas.flatMap((d, i) => (d !== 0 ? [i] : []));
      if (live.length === 0) return;
      waitUntil(
        client
          .eval(
            SETTLE,
            live.map((i) => keys[i]!),
            live.map((i) => String(deltas[i])),
          )
          .catch((e) => logLimiterFailure(options.what, e)),
      );
    },
  };
}
