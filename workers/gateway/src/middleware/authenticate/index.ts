import { errors } from "@edgeserve/api";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { authenticateToken } from "../../identity/authenticate-token";
import type { Principal } from "../../identity/principal";

/**
 * The `principal` context variable: the caller (identity/principal.ts), set on every /api and
 * /serving-endpoints route by this middleware (or by the Anthropic ingress's own).
 */
type AuthenticateVariables = { principal: Principal };

declare module "hono" {
  interface ContextVariableMap extends AuthenticateVariables {}
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/** Reads `Authorization: Bearer <token>` and sets `principal`; 401 UNAUTHENTICATED otherwise. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw errors.unauthenticated();
    const token = bearerToken(header);
    if (!token) throw errors.unauthenticated("Authorization header must be 'Bearer <token>'.");
    const principal = await authenticateToken(c.env, c.get("db"), token);
    if (!principal) throw errors.unauthenticated("Invalid access token.");
    c.set("principal", principal);
    await next();
  };
}
