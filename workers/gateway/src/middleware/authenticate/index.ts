import { errors } from "@edgeserve/api";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { authenticateToken } from "../../identity/authenticate-token";

/** Reads `Authorization: Bearer <token>` and sets `principal`; 401 UNAUTHENTICATED otherwise. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw errors.unauthenticated();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw errors.unauthenticated("Authorization header must be 'Bearer <token>'.");
    const principal = await authenticateToken(c.env, c.get("db"), match[1]!);
    if (!principal) throw errors.unauthenticated("Invalid access token.");
    c.set("principal", principal);
    await next();
  };
}
