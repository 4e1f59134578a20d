import type { Database } from "@edgeserve/db";
import { ApiError } from "@edgeserve/api";

/**
 * PLACEHOLDER so the custom-model query path compiles on this branch: the registry helper's version
 * (D1-backed, aliases, 404 for unknown models) replaces this file at merge. Here a version is found
 * by convention under `models/<name>/<version>/` in R2; no version means "1".
 */
export async function resolveModelVersion(
  _db: Database,
  name: string,
  versionOrAlias: string | undefined,
): Promise<{ name: string; version: string; artifactPrefix: string }> {
  const version = versionOrAlias ?? "1";
  if (!/^\d+$/.test(version)) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Model version '${version}' of '${name}' does not exist.`);
  return { name, version, artifactPrefix: `models/${name}/${version}/` };
}
