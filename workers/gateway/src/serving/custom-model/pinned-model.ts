import type { Database } from "@edgeserve/db";
import type { MlModel, ModelRef, ModelSignature } from "@edgeserve/mlflow";
import type { ModelServerPlacement } from "../../model-servers/placement";
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
export type PinnedModel = InWorkerModel | ModelOnServer;

interface PinnedVersion {
  name: string;
  version: string;
  signature?: ModelSignature;
}

/** Runs in the inference worker. */
export interface InWorkerModel extends PinnedVersion {
  /** What the inference worker is sent. */
  ref: ModelRef;
  model_server?: undefined;
}

/** Forwarded to a registered model server (docs/model-servers.md). */
export interface ModelOnServer extends PinnedVersion {
  model_server: ModelServerPlacement;
  ref?: undefined;
}

/** A resolved registry version and its MLmodel, before the deployment decides where it runs. */
export interface ResolvedVersion extends PinnedVersion {
  artifactPrefix: string;
  model: MlModel;
  label: string;
}

/** Resolves `entity_version` (number, alias or latest) and reads the version's MLmodel; errors as pinModelVersion. */
export async function resolveVersion(
  db: Database,
  bucket: R2Bucket,
  entityName: string,
  entityVersion: string | undefined,
  say: (message: string) => void = () => {},
): Promise<ResolvedVersion> {
  const version = await resolveModelVersion(db, entityName, entityVersion);
  say(`Resolved to version ${version.version}; model files at ${downloadUriOf(version.artifactPrefix)}.`);
  const label = `'${version.name}' version ${version.version}`;
  const { model, bytes } = await readMlModel(bucket, version.artifactPrefix, label);
  say(`Found MLmodel (${bytes} bytes) with flavors [${Object.keys(model.flavors).join(", ")}].`);
  return {
    name: version.name,
    version: version.version,
    artifactPrefix: version.artifactPrefix,
    model,
    label,
    ...(model.signature && { signature: model.signature }),
  };
}

/** The version pinned to run in the inference worker with the flavor it runs (501 NOT_IMPLEMENTED if none). */
export function pinInWorker(resolved: ResolvedVersion): InWorkerModel {
  const { flavor, flavorConfig } = pickFlavor(resolved.model, resolved.label);
  return {
    name: resolved.name,
    version: resolved.version,
    ref: { key: `${resolved.name}/${resolved.version}`, artifactPrefix: resolved.artifactPrefix, flavor, flavorConfig },
    ...(resolved.signature && { signature: resolved.signature }),
  };
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
): Promise<InWorkerModel> {
  return pinInWorker(await resolveVersion(db, bucket, entityName, entityVersion, say));
}
