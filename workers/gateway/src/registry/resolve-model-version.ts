import { errors } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { findAliasVersion, findModel, findVersion, latestVersion } from "./store";

export interface ResolvedModelVersion {
  name: string;
  version: string;
  /** R2 key prefix of the MLflow model directory, ending in "/". */
  artifactPrefix: string;
}

/**
 * How a served entity names a registry version (`entity_version`): a version number ("3"), an alias
 * ("@champion", or "champion" since aliases cannot look like numbers), "latest", or nothing (latest).
 */
export function parseVersionOrAlias(
  versionOrAlias: string | undefined,
): { version: number } | { alias: string } | { latest: true } {
  const value = versionOrAlias?.trim();
  if (!value || value.toLowerCase() === "latest") return { latest: true };
  if (/^[0-9]+$/.test(value)) return { version: Number(value) };
  return { alias: value.startsWith("@") ? value.slice(1) : value };
}

/** Resolves a registered model name and version/alias to its files in R2; RESOURCE_DOES_NOT_EXIST when unknown. */
export async function resolveModelVersion(
  db: Database,
  name: string,
  versionOrAlias: string | undefined,
): Promise<ResolvedModelVersion> {
  const model = await findModel(db, name);
  if (!model) throw errors.notFound(`Registered Model with name=${name} not found`);
  const wanted = parseVersionOrAlias(versionOrAlias);
  let number: number | undefined;
  if ("version" in wanted) number = wanted.version;
  else if ("alias" in wanted) {
    number = await findAliasVersion(db, model.id, wanted.alias);
    if (number === undefined)
      throw errors.notFound(`Registered model alias ${wanted.alias} not found for model ${name}.`);
  }
  const row = number === undefined ? await latestVersion(db, model.id) : await findVersion(db, model.id, number);
  if (!row)
    throw errors.notFound(
      number === undefined
        ? `Registered Model with name=${name} has no versions`
        : `Model Version (name=${name}, version=${number}) not found`,
    );
  return { name: model.name, version: String(row.version), artifactPrefix: row.artifactPrefix };
}
