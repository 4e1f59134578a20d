import { ApiError } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { downloadUriOf } from "./model-source";
import { resolveModelVersion } from "./resolve-model-version";

type Say = (message: string, level?: "INFO" | "WARN" | "ERROR") => void;

/**
 * The deployment check of a registry entity: `entity_name` + `entity_version` (a number, an alias
 * as "@champion" or "champion", or absent for the latest) must name an existing version whose
 * directory in R2 holds an `MLmodel` file. Returns a failure message or null; logs build lines.
 */
export async function checkRegistryEntity(db: Database, bucket: R2Bucket, entityName: string, entityVersion: string | undefined, say: Say): Promise<string | null> {
  say(`Resolving registered model '${entityName}' ${entityVersion ? `version '${entityVersion}'` : "(latest version)"} in the model registry.`);
  let resolved;
  try {
    resolved = await resolveModelVersion(db, entityName, entityVersion);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "RESOURCE_DOES_NOT_EXIST") throw e;
    const problem = `Cannot serve '${entityName}' version ${entityVersion ?? "(latest)"}: ${e.message}`;
    say(problem, "ERROR");
    return problem;
  }
  const location = downloadUriOf(resolved.artifactPrefix);
  say(`Resolved to version ${resolved.version}; model files at ${location}.`);
  const mlmodel = await bucket.head(`${resolved.artifactPrefix}MLmodel`);
  if (!mlmodel) {
    const problem = `Model '${resolved.name}' version ${resolved.version} has no MLmodel file at ${location}/MLmodel; upload the MLflow model directory there (infra/publish-model.mjs).`;
    say(problem, "ERROR");
    return problem;
  }
  say(`Found MLmodel (${mlmodel.size} bytes).`);
  return null;
}
