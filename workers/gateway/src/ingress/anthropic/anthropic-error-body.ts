import { ApiError, ERROR_STATUS } from "@edgeserve/api";
import { internalErrorMessage } from "../../middleware/errors";
import { logError } from "../../middleware/errors/log-error";
import { upstreamMessage } from "../../serving/upstream-errors";

/** Our HTTP status → Anthropic's error `type` (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorTypeOfStatus(status: number): string {
  if (status === 400 || status === 422) return "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 503 || status === 529) return "overloaded_error";
  if (status === 504) return "timeout_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** A Databricks error code (as in a stream's error event) → Anthropic's error `type`. */
export function anthropicErrorType(errorCode: string | undefined): string {
  const status = errorCode ? (ERROR_STATUS as Record<string, number>)[errorCode] : undefined;
  return anthropicErrorTypeOfStatus(status ?? 500);
}

/** `{type:"error", error:{type, message}, request_id}` with the status unchanged. */
function anthropicErrorBody(status: number, message: string, requestId?: string) {
  return {
    type: "error" as const,
    error: { type: anthropicErrorTypeOfStatus(status), message },
    request_id: requestId ?? null,
  };
}

/**
 * Any failure of the route → Anthropic's error response (Retry-After kept), logged as the app's onError logs.
 * Unknown errors are 500 api_error.
 */
export function anthropicErrorResponse(error: unknown, requestId?: string): Response {
  const api = ApiError.from(error, internalErrorMessage(requestId));
  logError(api, requestId);
  const response = Response.json(anthropicErrorBody(api.status, api.message, requestId), { status: api.status });
  for (const [name, value] of Object.entries(api.headers)) response.headers.set(name, value);
  return response;
}

/** A Databricks error response (`{error_code, message}`) → Anthropic's shape with the same status. */
export async function anthropicErrorFromResponse(response: Response, requestId?: string): Promise<Response> {
  const text = await response.text();
  const message = text ? upstreamMessage(text) : `HTTP ${response.status}`;
  const out = Response.json(anthropicErrorBody(response.status, message, requestId), { status: response.status });
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) out.headers.set("retry-after", retryAfter);
  return out;
}
