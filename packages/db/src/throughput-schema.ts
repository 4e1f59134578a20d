import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { endpoints } from "./endpoints-schema";

/**
 * Provisioned throughput each endpoint holds on a Foundation Model API backend, summed over its served
 * entities on that model. The sum over a model never exceeds the operator's capacity: the deployment writes
 * its row with one conditional statement (the gateway's foundation-models/throughput-reservations.ts), so
 * two deployments racing for the last capacity cannot both win. Deleting the endpoint releases it.
 */
export const throughputReservations = sqliteTable(
  "throughput_reservations",
  {
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => endpoints.id, { onDelete: "cascade" }),
    /** The catalogue endpoint name (`databricks-…`) whose backend the band is reserved on. */
    model: text("model").notNull(),
    tokensPerSecond: integer("tokens_per_second").notNull(),
    /** The config version that reserved it. */
    configVersion: integer("config_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.model] })],
);
