import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { endpoints } from "./endpoints-schema";

/**
 * Every config an endpoint has served, kept when its deployment promotes it, so an earlier `config_version`
 * can be read back and rolled back to. Keyed by the endpoint's id and deleted with it, so an endpoint
 * that reuses a deleted one's name starts with no history. Secrets inside are `{{secrets/…}}` references.
 */
export const endpointConfigVersions = sqliteTable(
  "endpoint_config_versions",
  {
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => endpoints.id, { onDelete: "cascade" }),
    configVersion: integer("config_version").notNull(),
    /** The config as it was promoted (the same JSON as `endpoints.config`). */
    config: text("config", { mode: "json" }).notNull(),
    /** When its deployment made it the active config (epoch ms). */
    promotedAt: integer("promoted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.configVersion] })],
);
