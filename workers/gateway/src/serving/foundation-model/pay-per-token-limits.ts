import type { Env } from "../../env";
import type { EnabledModel } from "../../foundation-models/operator-config";
import { THROUGHPUT_WINDOW_MS } from "./provisioned-throughput";
import { type Reservation, type TokenBudget, admitTokenBudgets, reservationsKey } from "./token-budgets";

export type { Reservation } from "./token-budgets";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Databricks' pay-per-token limits of a foundation endpoint, shared by all its callers: input tokens per
 * minute (the prompt, estimated before the call), output tokens per minute (`max_tokens` reserved before
 * admission) and queries per hour. Over any → 429 REQUEST_LIMIT_EXCEEDED with Retry-After until that
 * window resets. After the call the reservation is corrected to the real counts (`settle`).
 * When the operator gives the backend a capacity, pay-per-token traffic also shares what provisioned
 * throughput leaves of it (capacity − reserved bands, in tokens/s of prompt + reserved output).
 */
export async function admitPayPerToken(
  env: Env,
  endpoint: { id: string; name: string },
  enabled: Pick<EnabledModel, "limits" | "capacity_tokens_per_second">,
  request: { estimatedPromptTokens: number; maxTokens: number | undefined },
): Promise<Reservation> {
  const { limits, capacity_tokens_per_second: capacity } = enabled;
  const prompt = request.estimatedPromptTokens;
  const reservedOutput = request.maxTokens ?? 0;
  const key = (i: number) => `edgeserve:ppt:${endpoint.id}:${i}`;
  const budgets: (TokenBudget & { label: string })[] = [];
  const limit = (label: string, value: number | undefined, budget: Omit<TokenBudget, "what" | "limit">) => {
    if (value !== undefined) budgets.push({ ...budget, label, limit: value, what: `${value} ${label}` });
  };
  limit("input tokens per minute", limits?.input_tokens_per_minute, {
    need: prompt,
    windowMs: MINUTE_MS,
    key: key(0),
    charge: (p) => p,
  });
  limit("output tokens per minute", limits?.output_tokens_per_minute, {
    need: reservedOutput,
    windowMs: MINUTE_MS,
    key: key(1),
    charge: (_, c) => c,
  });
  limit("queries per hour", limits?.queries_per_hour, {
    need: 1,
    windowMs: HOUR_MS,
    key: key(2),
    charge: () => 1,
  });
  if (capacity !== undefined) {
    const seconds = THROUGHPUT_WINDOW_MS / 1000;
    budgets.push({
      label: "tokens of backend capacity per window",
      what: `${capacity} tokens/s of backend capacity less the provisioned throughput reserved on it`,
      limit: capacity * seconds,
      reservedSeconds: seconds,
      need: prompt + reservedOutput,
      windowMs: THROUGHPUT_WINDOW_MS,
      key: `edgeserve:pt:ppt:${endpoint.name}`,
      charge: (p, c) => p + c,
    });
  }
  return admitTokenBudgets(env, {
    what: "pay-per-token",
    budgets,
    reservations: reservationsKey(endpoint.name),
    tooBig: (b) => {
      const budget = (b as (typeof budgets)[number]).label.replace(" per ", " of the ");
      const reserved = b.key === key(1) || b.reservedSeconds;
      const hint = reserved ? " (max_tokens is reserved up front); lower max_tokens" : "";
      return `This query needs ${b.need} ${budget} budget of ${b.limit}${hint}.`;
    },
    refusal: (tightest, retryAfter) =>
      `REQUEST_LIMIT_EXCEEDED: Exceeded the pay-per-token limit of ${tightest} on endpoint '${endpoint.name}'. ` +
      `Retry after ${retryAfter} s.`,
  });
}
