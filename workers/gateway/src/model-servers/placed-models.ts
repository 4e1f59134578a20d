import { type Database, endpoints } from "@edgeserve/db";
import { sql } from "drizzle-orm";

/**
 * The registry versions (`name/version`) that endpoints' active configs have placed on a model server: its
 * used capacity, and what a delete would strand. One statement over the stored configs' JSON.
 */
export async function modelsPlacedOn(db: Database, server: string): Promise<Set<string>> {
  const rows = await db.all<{ model: string }>(sql`
    SELECT DISTINCT json_extract(entity.value, '$.pinned_model.name') || '/' ||
      json_extract(entity.value, '$.pinned_model.version') AS model
    FROM ${endpoints}, json_each(${endpoints.config}, '$.served_entities') AS entity
    WHERE ${endpoints.config} IS NOT NULL
      AND json_extract(entity.value, '$.pinned_model.model_server.server') = ${server}`);
  return new Set(rows.map((r) => r.model));
}
