/**
 * Databricks error codes and the HTTP status each maps to (the Databricks SDKs map status → code the
 * same way, so a client sees the exception type it expects).
 */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_ALREADY_EXISTS: 409,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_CONFLICT: 409,
  RESOURCE_LIMIT_EXCEEDED: 413,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

interface ErrorDetail {
  "@type": string;
  [field: string]: unknown;
}

export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

export interface ApiErrorOptions {
  status?: number;
  headers?: Record<string, string>;
  /**
   * What went wrong underneath (what an upstream answered, the error a call threw): for the logs only,
   * never in the response, so the message can say what the client may know and the logs the rest.
   */
  cause?: unknown;
  /** The cause is a bug, not a failure the code expected (see ApiError.from). */
  unhandled?: boolean;
}

/**
 * An error that becomes a Databricks-style `{error_code, message}` response. A handled error is one the
 * code raised on purpose, its message written for the client; an unhandled one wraps an error nobody
 * anticipated (a bug), which the client sees only as the generic 500 and the logs with its stack.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly unhandled: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.status = options.status ?? ERROR_STATUS[code];
    this.headers = options.headers ?? {};
    this.unhandled = options.unhandled ?? false;
  }

  /** `error` as the response it becomes: an ApiError as it is, anything else as an unhandled 500 with `message`. */
  static from(error: unknown, message = "Internal error."): ApiError {
    if (error instanceof ApiError) return error;
    return new ApiError("INTERNAL_ERROR", message, { cause: error, unhandled: true });
  }

  body(requestId?: string): ErrorBody {
    const body: ErrorBody = { error_code: this.code, message: this.message };
    if (requestId) {
      // Databricks' JS SDK reads `metadata` of every detail (new Map(Object.entries(detail.metadata))),
      // so each one carries it, as Databricks' own ErrorInfo details do.
      body.details = [
        {
          "@type": "type.googleapis.com/google.rpc.RequestInfo",
          request_id: requestId,
          serving_data: "",
          metadata: {},
        },
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: this.code,
          domain: "edgeserve",
          metadata: { request_id: requestId },
        },
      ];
    }
    return body;
  }
}

/** Shorthands for the errors every route raises. */
export const errors = {
  invalid: (message: string) => new ApiError("INVALID_PARAMETER_VALUE", message),
  badRequest: (message: string) => new ApiError("BAD_REQUEST", message),
  malformed: (message: string) => new ApiError("MALFORMED_REQUEST", message),
  unauthenticated: (message = "Credential was not sent or was of an unsupported type for this API.") =>
    new ApiError("UNAUTHENTICATED", message),
  permissionDenied: (message: string) => new ApiError("PERMISSION_DENIED", message),
  notFound: (message: string) => new ApiError("RESOURCE_DOES_NOT_EXIST", message),
  alreadyExists: (message: string) => new ApiError("RESOURCE_ALREADY_EXISTS", message),
  conflict: (message: string) => new ApiError("RESOURCE_CONFLICT", message),
  tooLarge: (message: string) => new ApiError("RESOURCE_LIMIT_EXCEEDED", message),
  unavailable: (message: string, retryAfterSeconds?: number) =>
    new ApiError("TEMPORARILY_UNAVAILABLE", message, {
      headers: retryAfterSeconds ? { "Retry-After": String(retryAfterSeconds) } : {},
    }),
};

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorBody).error_code === "string" &&
    typeof (value as ErrorBody).message === "string"
  );
}
