import { type CreateModelServerRequest, type ModelServer, errors } from "@edgeserve/api";
import { type Database, modelServers } from "@edgeserve/db";
import { asc, eq } from "drizzle-orm";

export type ModelServerRow = typeof modelServers.$inferSelect;

/** The API's view of a stored server: the token stays a reference. */
export function toModelServer(row: ModelServerRow): ModelServer {
  return {
    name: row.name,
    protocol: row.protocol,
    base_url: row.baseUrl,
    ...(row.bearerToken && { bearer_token: row.bearerToken }),
    workload_types: row.workloadTypes as ModelServer["workload_types"],
    ...(row.modelName && row.modelVersion && { model: { name: row.modelName, version: row.modelVersion } }),
    ...(row.maxModels !== null && { max_models: row.maxModels }),
    creator: row.creator,
    creation_timestamp: row.createdAt,
    last_updated_timestamp: row.updatedAt,
  };
}

export async function insertModelServer(
  db: Database,
  input: CreateModelServerRequest,
  creator: string,
): Promise<ModelServerRow> {
  const [row] = await db
    .insert(modelServers)
    .values({
      name: input.name,
      protocol: input.protocol,
      baseUrl: input.base_url.replace(/\/+$/, ""),
      bearerToken: input.bearer_token ?? null,
      workloadTypes: input.workload_types,
      modelName: input.model?.name ?? null,
      modelVersion: input.model?.version ?? null,
      maxModels: input.protocol === "mlflow" ? 1 : (input.max_models ?? null),
      creator,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw errors.alreadyExists(`Model server '${input.name}' already exists.`);
  return row;
}

export async function listModelServers(db: Database): Promise<ModelServerRow[]> {
  return db.select().from(modelServers).orderBy(asc(modelServers.name));
}

export async function findModelServer(db: Database, name: string): Promise<ModelServerRow> {
  const [row] = await db.select().from(modelServers).where(eq(modelServers.name, name));
  if (!row) throw errors.notFound(`Model server '${name}' does not exist.`);
  return row;
}

export async function deleteModelServer(db: Database, name: string): Promise<boolean> {
  const deleted = await db
    .delete(modelServers)
    .where(eq(modelServers.name, name))
    .returning({ name: modelServers.name });
  return deleted.length > 0;
}
