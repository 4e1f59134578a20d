import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, backoffMs, isRetryableStatus, retryAfterMs } from "./retry";

describe("retry policy", () => {
  it("retries 429 and 5xx outages, never the caller's own mistakes", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413].some(isRetryableStatus)).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("0.5")).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });

  it("backs off exponentially with jitter, waits at least what Retry-After asks, and never past the cap", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 5_000 };
    expect(backoffMs(1, null, policy, () => 0)).toBe(50);
    expect(backoffMs(1, null, policy, () => 1)).toBe(100);
    expect(backoffMs(4, null, policy, () => 1)).toBe(800);
    expect(backoffMs(1, "2", policy, () => 0)).toBe(2_000);
    expect(backoffMs(1, "60", policy, () => 0)).toBe(5_000);
    expect(backoffMs(20, null, policy, () => 1)).toBe(5_000);
  });
});
