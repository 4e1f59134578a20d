import { ApiError } from "@edgeserve/api";

/**
 * fetch() to a model upstream with the endpoint's deadline and the caller's cancellation:
 * a timeout becomes 504 DEADLINE_EXCEEDED, an unreachable host 503.
 */
export async function fetchUpstream(url: string, init: RequestInit, options: { timeoutMs: number; signal?: AbortSignal; provider: string }): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    return await fetch(url, { ...init, signal });
  } catch (e) {
    if (timeout.aborted) throw new ApiError("DEADLINE_EXCEEDED", `The provider '${options.provider}' did not answer within ${Math.round(options.timeoutMs / 1000)} s.`);
    if (options.signal?.aborted) throw new ApiError("ABORTED", "The client closed the request.", { status: 499 });
    throw new ApiError("TEMPORARILY_UNAVAILABLE", `Could not reach the provider '${options.provider}': ${(e instanceof Error ? e.message : "network error").replace(/\.+$/, "")}.`, {
      headers: { "Retry-After": "1" },
    });
  }
}

export function upstreamTimeoutMs(env: { EDGESERVE_UPSTREAM_TIMEOUT_S?: string }): number {
  const seconds = Number(env.EDGESERVE_UPSTREAM_TIMEOUT_S ?? 297);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 297) * 1000;
}
