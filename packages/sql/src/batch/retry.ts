/**
 * Retrying a call the gateway refused for now: 429 (rate limits, the provider's or the endpoint's) and
 * 5xx (an unavailable upstream) are retried with exponential backoff and full jitter, waiting at least
 * what Retry-After asks for; any other status is the row's answer. Network failures count as retryable.
 */

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The first backoff step; doubled each attempt. */
  baseDelayMs: number;
  /** No wait is longer than this, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How long to wait before retry number `attempt` (1-based). `random` is injectable for tests. */
export function backoffMs(
  attempt: number,
  retryAfter: string | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  const asked = retryAfterMs(retryAfter);
  return Math.min(policy.maxDelayMs, Math.max(jittered, asked ?? 0));
}
