import type { components } from "./schema.gen";

/** The error codes the API answers with (ErrorBody.error_code in the OpenAPI document). */
export type ErrorCode = components["schemas"]["ErrorBody"]["error_code"];
export type ErrorBody = components["schemas"]["ErrorBody"];

/**
 * What a non-Databricks answer (a proxy's HTML 502, an empty 404) is reported as, so that callers can always
 * switch on `error_code`. "UNKNOWN" when the status says nothing more.
 */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "RESOURCE_CONFLICT",
  429: "REQUEST_LIMIT_EXCEEDED",
  500: "INTERNAL_ERROR",
  501: "NOT_IMPLEMENTED",
  502: "BAD_GATEWAY",
  503: "TEMPORARILY_UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** An error answer of the Edgeserve (Databricks) API: `{error_code, message, details?}` and its HTTP status. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly error_code: ErrorCode | "UNKNOWN";
  readonly details: ErrorBody["details"];
  /** Seconds the server asked to wait (`Retry-After` on 429 and 503), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    body: { error_code: ErrorCode | "UNKNOWN"; message: string; details?: ErrorBody["details"] },
    retryAfterSeconds?: number,
  ) {
    super(body.message);
    this.status = status;
    this.error_code = body.error_code;
    this.details = body.details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The request id the gateway put in `details` (RequestInfo), to quote when reporting a problem. */
  get requestId(): string | undefined {
    const info = this.details?.find((d) => typeof d.request_id === "string");
    return info?.request_id as string | undefined;
  }

  /** Reads an error response's body (consuming it). */
  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => "");
    const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
    return ApiError.fromBody(response.status, text, Number.isNaN(retryAfter) ? undefined : retryAfter);
  }

  /** An error from a status and a body that may or may not be a Databricks error body. */
  static fromBody(status: number, body: unknown, retryAfterSeconds?: number): ApiError {
    const parsed = typeof body === "string" ? parseJson(body) : body;
    if (isErrorBody(parsed)) return new ApiError(status, parsed, retryAfterSeconds);
    const text = typeof body === "string" ? body.trim().slice(0, 200) : "";
    const message = `HTTP ${status}${text ? `: ${text}` : ""}`;
    return new ApiError(status, { error_code: CODE_OF_STATUS[status] ?? "UNKNOWN", message }, retryAfterSeconds);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.error_code === "string" && typeof body.message === "string";
}
