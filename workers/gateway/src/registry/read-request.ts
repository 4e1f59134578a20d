import { parseOrThrow } from "@edgeserve/api";
import type { Context } from "hono";
import type { z } from "zod";
import { readJsonObject } from "../http/read-json";

/**
 * MLflow clients send DELETE parameters either in the query string or as a JSON body (the Python
 * client has done both across versions); the query string wins when present.
 */
export async function readQueryOrBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const query = c.req.queries();
  if (Object.keys(query).length > 0) {
    const flat = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    return parseOrThrow(schema, flat);
  }
  return parseOrThrow(schema, await readJsonObject(c));
}

/** Query strings with repeated keys (MLflow sends `order_by` once per term) as arrays, single keys as strings. */
export function readQueryWithRepeats<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.queries();
  return parseOrThrow(
    schema,
    Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
  );
}
