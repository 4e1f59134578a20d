import type { Env } from "../../env";
import type { ProvisionedBand } from "../../foundation-models/provisioned-band";
import { type Reservation, admitTokenBudgets } from "./token-budgets";

/**
 * Tokens/s are counted over fixed windows of this length: a band of B tokens/s admits B × 10 tokens per
 * window. Long enough that one query (prompt + max_tokens) fits a small band, short enough that Retry-After
 * stays short.
 */
export const THROUGHPUT_WINDOW_MS = 10_000;

/**
 * Admits a query on a provisioned-throughput entity up to its band, counted as pay-per-token traffic is
 * (the prompt estimated and `max_tokens` reserved before admission, corrected to the real counts after).
 * The band has its own counter: pay-per-token traffic on the same backend never takes from it, it only
 * gets the capacity the reservations leave (pay-per-token-limits.ts). Over → 429 with Retry-After.
 */
export function admitProvisioned(
  env: Env,
  endpoint: { id: string; name: string },
  entityName: string,
  band: ProvisionedBand,
  request: { estimatedPromptTokens: number; maxTokens: number | undefined },
): Promise<Reservation> {
  const seconds = THROUGHPUT_WINDOW_MS / 1000;
  const limit = band.tokensPerSecond * seconds;
  return admitTokenBudgets(env, {
    what: "provisioned-throughput",
    budgets: [
      {
        what: `${band.tokensPerSecond} tokens/s`,
        limit,
        need: request.estimatedPromptTokens + (request.maxTokens ?? 0),
        windowMs: THROUGHPUT_WINDOW_MS,
        key: `edgeserve:pt:band:${endpoint.id}:${entityName}`,
        charge: (prompt, completion) => prompt + completion,
      },
    ],
    tooBig: (b) =>
      `This query needs ${b.need} tokens (prompt + max_tokens, reserved up front), more than the ${limit} a band ` +
      `of ${band.tokensPerSecond} tokens/s admits per ${seconds} s window; lower max_tokens.`,
    refusal: (tightest, retryAfter) =>
      `REQUEST_LIMIT_EXCEEDED: Exceeded the provisioned throughput of ${tightest} of served entity '${entityName}' ` +
      `on endpoint '${endpoint.name}'. Retry after ${retryAfter} s.`,
  });
}
