import { ApiError } from "@edgeserve/api";

/**
 * Pulls a human message out of an upstream error body (OpenAI `{error:{message}}`, Databricks `{message}`, or text).
 */
export function upstreamMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const error = body.error;
    if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string")
      return (error as { message: string }).message;
    if (typeof error === "string") return error;
    if (typeof body.message === "string") return body.message;
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON: use the text itself
  }
  return bodyText.slice(0, 500).trim() || "no details";
}

function retryAfterSeconds(headers: Headers): number {
  const value = headers.get("retry-after");
  if (!value) return 1;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(1, Math.ceil((date - Date.now()) / 1000)) : 1;
}

/** What an upstream answered is kept up to this length as an error's cause. */
const MAX_CAUSE_CHARS = 2000;

/** What an upstream (`who`: "The provider 'openai'", "The inference worker") answered, as an error's cause. */
export function upstreamAnswer(who: string, status: number, bodyText: string): string {
  return `${who} answered HTTP ${status}: ${bodyText.slice(0, MAX_CAUSE_CHARS)}`;
}

/**
 * Maps a provider's error response to ours: the caller's mistakes stay 4xx with the provider's
 * message; credential problems are the endpoint's (a 5xx that never echoes the key); overload is
 * 429 with Retry-After; outages are 502/503. What the provider answered is the error's cause, for the
 * logs (the client sees only the message).
 */
export function mapUpstreamError(status: number, headers: Headers, bodyText: string, provider: string): ApiError {
  const message = upstreamMessage(bodyText);
  const cause = upstreamAnswer(`The provider '${provider}'`, status, bodyText);
  if (status === 401 || status === 403) {
    const rejected = `The provider '${provider}' rejected the endpoint's credentials (HTTP ${status}).`;
    return new ApiError("BAD_GATEWAY", `${rejected} Ask the endpoint's owner to check its API key.`, {
      status: 502,
      cause,
    });
  }
  if (status === 429)
    return new ApiError(
      "REQUEST_LIMIT_EXCEEDED",
      `REQUEST_LIMIT_EXCEEDED: the provider '${provider}' is rate limiting this endpoint: ${message}`,
      {
        headers: { "Retry-After": String(retryAfterSeconds(headers)) },
        cause,
      },
    );
  if (status === 408 || status === 504)
    return new ApiError("DEADLINE_EXCEEDED", `The provider '${provider}' timed out: ${message}`, { cause });
  if (status >= 400 && status < 500)
    return new ApiError("INVALID_PARAMETER_VALUE", `The provider '${provider}' rejected the request: ${message}`, {
      cause,
    });
  if (status === 503)
    return new ApiError("TEMPORARILY_UNAVAILABLE", `The provider '${provider}' is unavailable: ${message}`, {
      headers: { "Retry-After": String(retryAfterSeconds(headers)) },
      cause,
    });
  return new ApiError("BAD_GATEWAY", `The provider '${provider}' failed (HTTP ${status}): ${message}`, {
    status: 502,
    cause,
  });
}
