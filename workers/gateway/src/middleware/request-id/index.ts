import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";

/** The `requestId` context variable, set for every request. */
type RequestIdVariables = { requestId: string };

declare module "hono" {
  interface ContextVariableMap extends RequestIdVariables {}
}

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (the caller's `x-request-id` if sane), echoed in the response and error details. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && VALID_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set("x-request-id", id);
  };
}
