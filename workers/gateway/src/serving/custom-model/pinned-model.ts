import type { Database } from "@edgeserve/db";
import type { ModelRef, ModelSignature } from "@edgeserve/mlflow";
import { downloadUriOf } from "../../registry/model-source";
import { resolveModelVersion } from "../../registry/resolve-model-version";
import { pickFlavor } from "./pick-flavor";
import { readMlModel } from "./read-mlmodel";

/**
 * A registry version as deployed, stored on the served entity (`pinned_model`, never echoed by GET):
 * what `entity_version` resolved to when the config was deployed and all a query needs of it. Queries
 * read neither the registry nor the MLmodel file, and an alias moved later changes what the endpoint
 * serves only when its config is updated (as on Databricks, where a deployment builds the model in).
 */
export interface PinnedModel {
  name: string;
  version: string;
  /** What the inference worker is sent. */
  ref: ModelRef;
  signature?: ModelSignature;
}

/**
 * Resolves `entity_version` (number, alias or latest), reads the version's MLmodel and picks the flavor
 * the inference worker runs. Throws 404 RESOURCE_DOES_NOT_EXIST (registry), 400 INVALID_STATE (MLmodel)
 * or 501 NOT_IMPLEMENTED (no runnable flavor). `say` adds to the build log; typed here rather than imported from
 * endpoints/entity-check.ts, which imports the stored config that imports this file.
 */
export async function pinModelVersion(
  db: Database,
  bucket: R2Bucket,
  entityName: string,
  entityVersion: string | undefined,
  say: (message: string) => void = () => {},
): Promise<PinnedModel> {
  const version = await resolveModelVersion(db, entityName, entityVersion);
  say(`Resolved to version ${version.version}; model files at ${downloadUriOf(version.artifactPrefix)}.`);
  const label = `'${version.name}' version ${version.version}`;
  const { model, bytes } = await readMlModel(bucket, version.artifactPrefix, label);
  say(`Found MLmodel (${bytes} bytes) with flavors [${Object.keys(model.flavors).join(", ")}].`);
  const { flavor, flavorConfig } = pickFlavor(model, label);
  return {
    name: version.name,
    version: version.version,
    ref: { key: `${version.name}/${version.version}`, artifactPrefix: version.artifactPrefix, flavor, flavorConfig },
    ...(model.signature && { signature: model.signature }),
  };
}
