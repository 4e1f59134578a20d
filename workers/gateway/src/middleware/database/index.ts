import { type Database, openDatabase } from "@edgeserve/db";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";

/** The `db` context variable: a drizzle handle on D1, for every route. */
type DatabaseVariables = { db: Database };

declare module "hono" {
  interface ContextVariableMap extends DatabaseVariables {}
}

/** Opens the database once per request (a light wrapper, no connection), so routes use `c.get("db")`. */
export function database(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("db", openDatabase(c.env.DB));
    await next();
  };
}
