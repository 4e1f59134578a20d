import { sql } from "drizzle-orm";

/** Milliseconds since epoch, the unit of every timestamp in the Databricks API: the default of timestamp columns. */
export const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;
