import type { Database } from "@edgeserve/db";
import { signatureJsonSchemas } from "@edgeserve/mlflow";
import type { StoredConfig } from "../../endpoints/stored-config";
import type { Env } from "../../env";
import { resolveModelVersion } from "../../registry/resolve-model-version";
import { loadMlModel } from "./load-mlmodel";

/**
 * The request/response JSON Schemas of an endpoint's model signature, for GET …/openapi: known when
 * every served entity is the same registry model version with a signature. Otherwise (mixed models,
 * no signature, an unreadable MLmodel) undefined, and the document shows the generic scoring protocol.
 */
export async function querySignatureSchemas(env: Env, db: Database, config: StoredConfig | null) {
  const entities = config?.served_entities ?? [];
  const first = entities[0];
  if (!first?.entity_name || entities.some((e) => e.entity_name !== first.entity_name || e.entity_version !== first.entity_version)) return undefined;
  try {
    const version = await resolveModelVersion(db, first.entity_name, first.entity_version);
    const model = await loadMlModel(env.ARTIFACTS, version.artifactPrefix, `'${version.name}' version ${version.version}`);
    return model.signature ? signatureJsonSchemas(model.signature) : undefined;
  } catch {
    return undefined;
  }
}
