import { ApiError, errors } from "@edgeserve/api";
import type { Env } from "../../env";
import type { PayPerTokenLimits } from "../../foundation-models/operator-config";
import { upstash } from "../../rate-limits/limiters";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Admits a query if every budget has room for what it reserves, and then charges all of them, atomically
 * (one script, so concurrent queries cannot both take the last tokens). Budgets are fixed windows (the
 * clock minute or hour): a refused caller may retry when the window resets. A limit of -1 is not set.
 * Returns the indexes of the budgets that refused, empty when admitted.
 */
const ADMIT = `
local refused = {}
for i = 1, 3 do
  local limit = tonumber(ARGV[i * 3 - 2])
  local need = tonumber(ARGV[i * 3 - 1])
  if limit >= 0 then
    local used = tonumber(redis.call("GET", KEYS[i]) or "0")
    if used + math.max(need, 1) > limit then table.insert(refused, i) end
  end
end
if #refused > 0 then return refused end
for i = 1, 3 do
  local limit = tonumber(ARGV[i * 3 - 2])
  local add = tonumber(ARGV[i * 3 - 1])
  if limit >= 0 and add > 0 then
    if redis.call("INCRBY", KEYS[i], add) == add then redis.call("PEXPIRE", KEYS[i], tonumber(ARGV[i * 3])) end
  end
end
return refused
`;

/** Corrects a window's charge by the real count (a reservation that was too high or too low), if the window is still live. */
const SETTLE = `
for i = 1, #KEYS do
  local delta = tonumber(ARGV[i])
  if delta ~= 0 and redis.call("EXISTS", KEYS[i]) == 1 then redis.call("INCRBY", KEYS[i], delta) end
end
return 0
`;

type Budget = { what: string; limit: number | undefined; need: number; windowMs: number };

/** What an admitted query reserved, to settle with its real token counts. */
export interface Reservation {
  settle(promptTokens: number, completionTokens: number, waitUntil: (p: Promise<unknown>) => void): void;
}

const NOTHING_RESERVED: Reservation = { settle() {} };

function logFailure(error: unknown): void {
  // Fail open, as the AI Gateway limits do: a Redis outage must not stop serving. The log says so.
  console.error(
    JSON.stringify({
      type: "rate_limit_error",
      what: "pay-per-token",
      message: error instanceof Error ? error.message : String(error),
    }),
  );
}

/**
 * Databricks' pay-per-token limits of a foundation endpoint, shared by all its callers: input tokens per
 * minute (the prompt, estimated before the call), output tokens per minute (`max_tokens` reserved before
 * admission) and queries per hour. Over any → 429 REQUEST_LIMIT_EXCEEDED with Retry-After until that
 * window resets. After the call the reservation is corrected to the real counts (`settle`).
 */
export async function admitPayPerToken(
  env: Env,
  endpoint: { id: string; name: string },
  limits: PayPerTokenLimits | undefined,
  request: { estimatedPromptTokens: number; maxTokens: number | undefined },
): Promise<Reservation> {
  if (!limits) return NOTHING_RESERVED;
  const now = Date.now();
  const reservedOutput = request.maxTokens ?? 0;
  const budgets: Budget[] = [
    {
      what: "input tokens per minute",
      limit: limits.input_tokens_per_minute,
      need: request.estimatedPromptTokens,
      windowMs: MINUTE_MS,
    },
    {
      what: "output tokens per minute",
      limit: limits.output_tokens_per_minute,
      need: reservedOutput,
      windowMs: MINUTE_MS,
    },
    { what: "queries per hour", limit: limits.queries_per_hour, need: 1, windowMs: HOUR_MS },
  ];
  for (const b of budgets)
    if (b.limit !== undefined && b.limit > 0 && b.need > b.limit)
      throw errors.invalid(
        `This query needs ${b.need} ${b.what.replace(" per ", " of the ")} budget of ${b.limit}${b === budgets[1] ? " (max_tokens is reserved up front); lower max_tokens" : ""}.`,
      );
  const client = upstash(env);
  if (!client) return NOTHING_RESERVED;
  const windowStart = (b: Budget) => now - (now % b.windowMs);
  const keys = budgets.map((b, i) => `edgeserve:ppt:${endpoint.id}:${i}:${windowStart(b)}`);
  const args = budgets.flatMap((b) => [String(b.limit ?? -1), String(b.need), String(b.windowMs)]);
  let refused: number[];
  try {
    refused = (await client.eval(ADMIT, keys, args)) as number[];
  } catch (e) {
    logFailure(e);
    return NOTHING_RESERVED;
  }
  if (refused.length > 0) {
    const hit = refused.map((i) => budgets[i - 1]!);
    const reset = Math.max(...hit.map((b) => windowStart(b) + b.windowMs));
    const retryAfter = Math.max(1, Math.ceil((reset - now) / 1000));
    const tightest = hit.map((b) => `${b.limit} ${b.what}`).join(" and ");
    throw new ApiError(
      "REQUEST_LIMIT_EXCEEDED",
      `REQUEST_LIMIT_EXCEEDED: Exceeded the pay-per-token limit of ${tightest} on endpoint '${endpoint.name}'. Retry after ${retryAfter} s.`,
      { headers: { "Retry-After": String(retryAfter) } },
    );
  }
  return {
    settle(promptTokens, completionTokens, waitUntil) {
      const deltas = [promptTokens - request.estimatedPromptTokens, completionTokens - reservedOutput, 0];
      const live = deltas.flatMap((d, i) => (budgets[i]!.limit !== undefined && d !== 0 ? [i] : []));
      if (live.length === 0) return;
      waitUntil(
        client
          .eval(
            SETTLE,
            live.map((i) => keys[i]!),
            live.map((i) => String(deltas[i])),
          )
          .catch(logFailure),
      );
    },
  };
}
