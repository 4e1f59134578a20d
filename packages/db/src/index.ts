import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export * from "./schema";
export * from "./latency-buckets";
export { schema };

function connect(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof connect>;

/** One drizzle handle per D1 binding, made on first use, so requests do not rebuild it. */
const handles = new WeakMap<D1Database, Database>();

export function openDatabase(d1: D1Database): Database {
  let db = handles.get(d1);
  if (!db) {
    db = connect(d1);
    handles.set(d1, db);
  }
  return db;
}
