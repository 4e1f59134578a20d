import { sql } from "drizzle-orm";
import { foreignKey, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Milliseconds since epoch, as every MLflow timestamp. */
const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

/**
 * The MLflow model registry. Models are keyed by a surrogate id so a rename is one UPDATE;
 * versions, tags and aliases hang off that id and go with the model on delete.
 */
export const registeredModels = sqliteTable("registered_models", {
  id: text("id").primaryKey(),
  /** Unique; Unity-Catalog style `catalog.schema.model` or a plain name. */
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  creatorId: text("creator_id").notNull(),
  /** The creator's user name or application id: MLflow's `user_id`. */
  creator: text("creator").notNull(),
  createdAt: integer("created_at").notNull().default(nowMs),
  updatedAt: integer("updated_at").notNull().default(nowMs),
  /** Version numbers are never reused, even after a delete (as MLflow). */
  nextVersion: integer("next_version").notNull().default(1),
});

export const registeredModelTags = sqliteTable(
  "registered_model_tags",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

export const modelVersions = sqliteTable(
  "model_versions",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => registeredModels.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    description: text("description").notNull().default(""),
    /** As given by the client, e.g. `mlflow-artifacts:/models/iris/1`. */
    source: text("source").notNull(),
    /** The R2 key prefix `source` resolved to at creation, ending in "/". */
    artifactPrefix: text("artifact_prefix").notNull(),
    runId: text("run_id").notNull().default(""),
    runLink: text("run_link").notNull().default(""),
    creatorId: text("creator_id").notNull(),
    creator: text("creator").notNull(),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.version] }), index("model_versions_run").on(t.runId)],
);

export const modelVersionTags = sqliteTable(
  "model_version_tags",
  {
    modelId: text("model_id").notNull(),
    version: integer("version").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.version, t.key] }),
    foreignKey({
      columns: [t.modelId, t.version],
      foreignColumns: [modelVersions.modelId, modelVersions.version],
    }).onDelete("cascade"),
  ],
);

/** `champion` → version 3. Deleting the version deletes its aliases (as MLflow). */
export const registeredModelAliases = sqliteTable(
  "registered_model_aliases",
  {
    modelId: text("model_id").notNull(),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.alias] }),
    foreignKey({
      columns: [t.modelId, t.version],
      foreignColumns: [modelVersions.modelId, modelVersions.version],
    }).onDelete("cascade"),
  ],
);

/**
 * Multipart artifact uploads in progress: R2 does not tell an unknown upload id from an internal
 * failure everywhere, and only the caller who started an upload may add parts to it or finish it.
 */
export const artifactUploads = sqliteTable("artifact_uploads", {
  uploadId: text("upload_id").primaryKey(),
  /** The R2 key the upload completes into. */
  key: text("key").notNull(),
  creatorId: text("creator_id").notNull(),
  createdAt: integer("created_at").notNull().default(nowMs),
});
