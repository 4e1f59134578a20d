/**
 * A failed API call as the gateway reports it (Databricks error body `{error_code, message, details}`), or a
 * network failure (status 0). The message is the API's own, shown as is: the console adds no validation
 * wording of its own.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorBody {
  error_code?: unknown;
  message?: unknown;
  details?: { request_id?: unknown }[];
}

/** Builds the ApiError of a non-2xx response from its body (JSON or not) and headers. */
export function apiErrorOf(status: number, bodyText: string, headers: Headers): ApiError {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(bodyText) as ErrorBody;
  } catch {
    body = undefined;
  }
  const requestId =
    headers.get("x-request-id") ??
    (typeof body?.details?.[0]?.request_id === "string" ? body.details[0].request_id : undefined);
  const errorCode = typeof body?.error_code === "string" ? body.error_code : `HTTP_${status}`;
  const message =
    typeof body?.message === "string" && body.message
      ? body.message
      : `The server answered ${status}${bodyText ? `: ${bodyText.slice(0, 200)}` : ""}`;
  return new ApiError(status, errorCode, message, requestId ?? undefined);
}
