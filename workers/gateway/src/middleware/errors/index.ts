import { ApiError } from "@edgeserve/api";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../env";

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const res = c.json(error.body(c.get("requestId")), error.status as 400);
  for (const [name, value] of Object.entries(error.headers)) res.headers.set(name, value);
  return res;
}

/** Every failure leaves as a Databricks error body; unexpected ones are logged without request data. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    return errorResponse(c, new ApiError("BAD_REQUEST", err.message || "Bad request", { status: err.status }));
  }
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: err instanceof Error ? `${err.name}: ${err.message}` : "unknown" }));
  return errorResponse(c, new ApiError("INTERNAL_ERROR", `Internal error. Request id: ${c.get("requestId")}`));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, new ApiError("ENDPOINT_NOT_FOUND", `No API found for '${c.req.method} ${new URL(c.req.url).pathname}'`));
