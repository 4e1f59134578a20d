import type { EndpointCoreConfigInput, ExternalModel, ServedEntityInput, ServedModelInput, Task } from "@edgeserve/api";
import { builtinEmbeddingsTaskOf } from "../serving/builtin-embeddings/builtin-entity";
import type { PinnedModel } from "../serving/custom-model/pinned-model";
import { type FoundationModelInfo, catalogueModelOf } from "../foundation-models/catalogue";

type DeploymentState = "DEPLOYMENT_CREATING" | "DEPLOYMENT_READY" | "DEPLOYMENT_FAILED" | "DEPLOYMENT_ABORTED";

/** A served entity as stored: the input with its name filled in, plus who made it and its state. */
export type StoredServedEntity = Omit<ServedEntityInput, "name" | "external_model"> & {
  name: string;
  external_model?: ExternalModel;
  /** Only on the operator's pay-per-token endpoints (foundation-models/), never from the API. */
  foundation_model?: FoundationModelInfo;
  creator: string;
  creation_timestamp: number;
  state: { deployment: DeploymentState; deployment_state_message: string };
  /** Registry entities of a deployed config: the version the deployment resolved (internal; GET leaves it out). */
  pinned_model?: PinnedModel;
};

type StoredServedModel = Omit<ServedModelInput, "name"> & { name: string };

export interface StoredRoute {
  served_entity_name?: string;
  served_model_name?: string;
  traffic_percentage: number;
}

/** What `config` / `pending_config` hold in D1 and what GET echoes (plus `start_time` on pending). */
export interface StoredConfig {
  served_entities: StoredServedEntity[];
  /** Kept only when the caller used the legacy `served_models` form, to echo it back. */
  served_models?: StoredServedModel[];
  traffic_config: { routes: StoredRoute[] };
  auto_capture_config?: EndpointCoreConfigInput["auto_capture_config"];
  config_version: number;
}

export type EndpointType = "EXTERNAL_MODEL" | "CUSTOM_MODEL" | "FOUNDATION_MODEL_API";

export function routeTarget(route: StoredRoute): string {
  return (route.served_entity_name ?? route.served_model_name)!;
}

/** The catalogue model of a provisioned-throughput entity (`system.ai.<model>`), or undefined. */
function provisionedModelOf(config: StoredConfig) {
  for (const e of config.served_entities) {
    const found = e.entity_name ? catalogueModelOf(e.entity_name) : null;
    if (found) return found.model;
  }
  return undefined;
}

export function endpointTypeOf(config: StoredConfig): EndpointType {
  if (config.served_entities.some((e) => e.external_model)) return "EXTERNAL_MODEL";
  // A provisioned-throughput endpoint serves a Foundation Model API model, as on Databricks.
  return provisionedModelOf(config) ? "FOUNDATION_MODEL_API" : "CUSTOM_MODEL";
}

export function taskOf(config: StoredConfig): Task | null {
  return (
    config.served_entities.find((e) => e.external_model)?.external_model?.task ??
    provisionedModelOf(config)?.task ??
    builtinEmbeddingsTaskOf(config.served_entities)
  );
}
