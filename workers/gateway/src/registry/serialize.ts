import type { ModelVersion, RegisteredModel } from "@edgeserve/api/mlflow-registry";
import type { modelVersions, registeredModels } from "@edgeserve/db";

export type ModelRow = typeof registeredModels.$inferSelect;
export type VersionRow = typeof modelVersions.$inferSelect;
export interface Tag {
  key: string;
  value: string;
}

/** A version row as MLflow's `model_version` (version as a string; stages are always `None`). */
export function toModelVersion(modelName: string, row: VersionRow, tags: Tag[], aliases: string[]): ModelVersion {
  return {
    name: modelName,
    version: String(row.version),
    creation_timestamp: row.createdAt,
    last_updated_timestamp: row.updatedAt,
    user_id: row.creator,
    current_stage: "None",
    description: row.description,
    source: row.source,
    run_id: row.runId,
    run_link: row.runLink,
    status: "READY",
    tags,
    aliases,
  };
}

/** A model row as MLflow's `registered_model`; `latest` is its newest version, if any. */
export function toRegisteredModel(
  row: ModelRow,
  tags: Tag[],
  aliases: { alias: string; version: number }[],
  latest: ModelVersion | undefined,
): RegisteredModel {
  return {
    name: row.name,
    creation_timestamp: row.createdAt,
    last_updated_timestamp: row.updatedAt,
    user_id: row.creator,
    description: row.description,
    latest_versions: latest ? [latest] : [],
    tags,
    aliases: aliases.map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}
