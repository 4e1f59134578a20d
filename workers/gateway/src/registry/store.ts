import { errors } from "@edgeserve/api";
import type { ModelVersion, RegisteredModel } from "@edgeserve/api/mlflow-registry";
import {
  type Database,
  modelVersions,
  modelVersionTags,
  registeredModelAliases,
  registeredModels,
  registeredModelTags,
} from "@edgeserve/db";
import { and, desc, eq, inArray, max } from "drizzle-orm";
import { type ModelRow, type Tag, toModelVersion, toRegisteredModel, type VersionRow } from "./serialize";

export async function findModel(db: Database, name: string): Promise<ModelRow | undefined> {
  const rows = await db.select().from(registeredModels).where(eq(registeredModels.name, name)).limit(1);
  return rows[0];
}

/** The model, or MLflow's 404 for it. */
export async function requireModel(db: Database, name: string): Promise<ModelRow> {
  const row = await findModel(db, name);
  if (!row) throw errors.notFound(`Registered Model with name=${name} not found`);
  return row;
}

export async function findVersion(db: Database, modelId: string, version: number): Promise<VersionRow | undefined> {
  const rows = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)))
    .limit(1);
  return rows[0];
}

export async function requireVersion(db: Database, model: ModelRow, version: string | number): Promise<VersionRow> {
  const row = await findVersion(db, model.id, Number(version));
  if (!row) throw errors.notFound(`Model Version (name=${model.name}, version=${version}) not found`);
  return row;
}

export async function latestVersion(db: Database, modelId: string): Promise<VersionRow | undefined> {
  const rows = await db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.modelId, modelId))
    .orderBy(desc(modelVersions.version))
    .limit(1);
  return rows[0];
}

export async function findAliasVersion(db: Database, modelId: string, alias: string): Promise<number | undefined> {
  const rows = await db
    .select({ version: registeredModelAliases.version })
    .from(registeredModelAliases)
    .where(and(eq(registeredModelAliases.modelId, modelId), eq(registeredModelAliases.alias, alias)))
    .limit(1);
  return rows[0]?.version;
}

/** Versions as MLflow returns them, with their tags and aliases (one query each, whatever the count). */
export async function toApiVersions(
  db: Database,
  namesById: Map<string, string>,
  rows: VersionRow[],
): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const modelIds = [...new Set(rows.map((r) => r.modelId))];
  const [tags, aliases] = await Promise.all([
    db.select().from(modelVersionTags).where(inArray(modelVersionTags.modelId, modelIds)),
    db.select().from(registeredModelAliases).where(inArray(registeredModelAliases.modelId, modelIds)),
  ]);
  const of = (r: VersionRow) => (t: { modelId: string; version: number }) =>
    t.modelId === r.modelId && t.version === r.version;
  return rows.map((r) =>
    toModelVersion(
      namesById.get(r.modelId)!,
      r,
      tags.filter(of(r)).map(({ key, value }) => ({ key, value })),
      aliases.filter(of(r)).map((a) => a.alias),
    ),
  );
}

/** Registered models as MLflow returns them: tags, aliases and the latest version. */
export async function toApiModels(db: Database, models: ModelRow[]): Promise<RegisteredModel[]> {
  if (models.length === 0) return [];
  const ids = models.map((m) => m.id);
  const [tags, aliases, latestNumbers] = await Promise.all([
    db.select().from(registeredModelTags).where(inArray(registeredModelTags.modelId, ids)),
    db.select().from(registeredModelAliases).where(inArray(registeredModelAliases.modelId, ids)),
    db
      .select({ modelId: modelVersions.modelId, version: max(modelVersions.version) })
      .from(modelVersions)
      .where(inArray(modelVersions.modelId, ids))
      .groupBy(modelVersions.modelId),
  ]);
  const latestRows: VersionRow[] = [];
  for (const { modelId, version } of latestNumbers) {
    if (version === null) continue;
    const row = await findVersion(db, modelId, version);
    if (row) latestRows.push(row);
  }
  const namesById = new Map(models.map((m) => [m.id, m.name]));
  const latest = await toApiVersions(db, namesById, latestRows);
  return models.map((m) => {
    const modelTags: Tag[] = tags.filter((t) => t.modelId === m.id).map(({ key, value }) => ({ key, value }));
    const modelAliases = aliases.filter((a) => a.modelId === m.id).sort((a, b) => a.alias.localeCompare(b.alias));
    return toRegisteredModel(
      m,
      modelTags,
      modelAliases,
      latest.find((v) => v.name === m.name),
    );
  });
}

export async function toApiModel(db: Database, model: ModelRow): Promise<RegisteredModel> {
  return (await toApiModels(db, [model]))[0]!;
}

export async function toApiVersion(db: Database, model: ModelRow, row: VersionRow): Promise<ModelVersion> {
  return (await toApiVersions(db, new Map([[model.id, model.name]]), [row]))[0]!;
}

/** D1 reports a unique/primary-key clash in the message (drizzle wraps it as the cause). */
export function isUniqueViolation(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${e.cause instanceof Error ? e.cause.message : ""}` : "";
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}
