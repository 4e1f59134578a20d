import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { nowMs } from "./now-ms";

// In a file of its own so that the tables referring to it (ACLs, events, config versions, throughput
// reservations) import it without importing the schema barrel that re-exports them (no import cycle).
/**
 * Serving endpoints. Config parts are stored as the JSON the API accepted (after normalisation),
 * so GET answers exactly what was configured; secrets inside them are only `{{secrets/…}}` references.
 */
export const endpoints = sqliteTable(
  "endpoints",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    creatorId: text("creator_id").notNull(),
    creator: text("creator").notNull(),
    description: text("description"),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
    /** The active config; null until the first deployment succeeds. */
    config: text("config", { mode: "json" }),
    /** The config being deployed while `configUpdate` is IN_PROGRESS (or that failed). */
    pendingConfig: text("pending_config", { mode: "json" }),
    pendingStartedAt: integer("pending_started_at"),
    configVersion: integer("config_version").notNull().default(0),
    ready: text("ready", { enum: ["READY", "NOT_READY"] })
      .notNull()
      .default("NOT_READY"),
    configUpdate: text("config_update", {
      enum: ["NOT_UPDATING", "IN_PROGRESS", "UPDATE_FAILED", "UPDATE_CANCELED"],
    })
      .notNull()
      .default("IN_PROGRESS"),
    tags: text("tags", { mode: "json" }),
    aiGateway: text("ai_gateway", { mode: "json" }),
    rateLimits: text("rate_limits", { mode: "json" }),
    routeOptimized: integer("route_optimized", { mode: "boolean" }).notNull().default(false),
    budgetPolicyId: text("budget_policy_id"),
    emailNotifications: text("email_notifications", { mode: "json" }),
    telemetryConfig: text("telemetry_config", { mode: "json" }),
    task: text("task"),
    endpointType: text("endpoint_type"),
  },
  (t) => [uniqueIndex("endpoints_name").on(t.name)],
);
