import { ApiError } from "@edgeserve/api";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../env";
import { logError } from "./log-error";

function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const res = c.json(error.body(c.get("requestId")), error.status as 400);
  for (const [name, value] of Object.entries(error.headers)) res.headers.set(name, value);
  return res;
}

/** The message the client gets for an unhandled error (a bug): nothing of the error itself. */
export function internalErrorMessage(requestId: string | undefined): string {
  return `Internal error. Request id: ${requestId ?? "unknown"}`;
}

/**
 * Every failure leaves as a Databricks error body. The log gets what the client may not see: an unexpected
 * error with its stack, a 5xx with its cause.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    return errorResponse(c, new ApiError("BAD_REQUEST", err.message || "Bad request", { status: err.status }));
  }
  const error = ApiError.from(err, internalErrorMessage(c.get("requestId")));
  logError(error, c.get("requestId"));
  return errorResponse(c, error);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    new ApiError("ENDPOINT_NOT_FOUND", `No API found for '${c.req.method} ${new URL(c.req.url).pathname}'`),
  );
