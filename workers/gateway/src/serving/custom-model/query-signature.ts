import type { Database } from "@edgeserve/db";
import { signatureJsonSchemas } from "@edgeserve/mlflow";
import type { StoredConfig } from "../../endpoints/stored-config";
import type { Env } from "../../env";
import { pinModelVersion } from "./pinned-model";

/**
 * The request/response JSON Schemas of an endpoint's model signature, for GET …/openapi: known when
 * every served entity is the same registry model version with a signature (the pinned one of a deployed
 * config; a pending config's is resolved now). Otherwise (mixed models, no signature, an unreadable
 * MLmodel) undefined, and the document shows the generic scoring protocol.
 */
export async function querySignatureSchemas(env: Env, db: Database, config: StoredConfig | null) {
  const entities = config?.served_entities ?? [];
  if (entities.length === 0 || entities.some((e) => !e.entity_name)) return undefined;
  try {
    const pinned = await Promise.all(
      entities.map((e) => e.pinned_model ?? pinModelVersion(db, env.ARTIFACTS, e.entity_name!, e.entity_version)),
    );
    const [first] = pinned;
    if (!first?.signature || pinned.some((p) => p.name !== first.name || p.version !== first.version)) return undefined;
    return signatureJsonSchemas(first.signature);
  } catch {
    return undefined;
  }
}
