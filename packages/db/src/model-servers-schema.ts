import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Milliseconds since epoch, the unit of every timestamp in the Databricks API. */
const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

/**
 * Model servers an operator registered (MLflow scoring servers, Open Inference Protocol v2 servers): where
 * a registry model goes when the inference worker cannot run it or its workload type asks for a GPU.
 * Deployed configs copy what a query needs (URL, protocol, token reference) into their pinned model.
 */
export const modelServers = sqliteTable("model_servers", {
  name: text("name").primaryKey(),
  protocol: text("protocol", { enum: ["mlflow", "oip-v2"] }).notNull(),
  baseUrl: text("base_url").notNull(),
  /** A `{{secrets/<scope>/<key>}}` reference, never the token. */
  bearerToken: text("bearer_token"),
  /** JSON array of workload types. */
  workloadTypes: text("workload_types", { mode: "json" }).$type<string[]>().notNull(),
  /** `mlflow` servers: the one registry version the server was started with. */
  modelName: text("model_name"),
  modelVersion: text("model_version"),
  maxModels: integer("max_models"),
  creator: text("creator").notNull(),
  createdAt: integer("created_at").notNull().default(nowMs),
  updatedAt: integer("updated_at").notNull().default(nowMs),
});
