import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";

/** Anthropic's error `type` → the HTTP status it documents for it (used for errors inside a stream). */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * An Anthropic error (`{"type":"error","error":{"type","message"}}`) → our ApiError. Anthropic's
 * 529 overloaded_error means "try again shortly", which is our 503 TEMPORARILY_UNAVAILABLE.
 */
export function mapAnthropicError(status: number, headers: Headers, bodyText: string): ApiError {
  return mapUpstreamError(status === 529 ? 503 : status, headers, bodyText, "anthropic");
}

/** An `error` event in a stream (the HTTP status was already 200). */
export function mapAnthropicStreamError(error: { type?: string; message?: string } | undefined): ApiError {
  const status = STATUS_OF_TYPE[error?.type ?? ""] ?? 500;
  return mapAnthropicError(
    status,
    new Headers(),
    JSON.stringify({
      type: "error",
      error: { type: error?.type ?? "api_error", message: error?.message ?? "stream error" },
    }),
  );
}
