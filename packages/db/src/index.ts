import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export * from "./schema";
export { schema };

export type Database = ReturnType<typeof openDatabase>;

/** A drizzle handle over a D1 binding. Cheap: create one per request. */
export function openDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}
