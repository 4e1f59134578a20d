import { SYSTEM_AI_PREFIX, errors } from "@edgeserve/api";
import type { StoredConfig, StoredServedEntity } from "../endpoints/stored-config";
import { CATALOGUE_MODEL_VERSIONS, type CatalogueModel, catalogueModelOf } from "./catalogue";

/** A served entity's provisioned band: the catalogue model it reserves capacity of, and how much. */
export interface ProvisionedBand {
  /** The catalogue endpoint name (`databricks-…`), which keys the backend and its capacity. */
  model: string;
  tokensPerSecond: number;
}

/**
 * Whether the entity names a Foundation Model API model (`system.ai.<model>` of the catalogue): served with
 * provisioned throughput. (`system.ai.universal_sentence_encoder`, the built-in encoder, is not one.)
 */
export function isProvisionedEntity(entity: { entity_name?: string; external_model?: unknown }): boolean {
  return !entity.external_model && entity.entity_name !== undefined && catalogueModelOf(entity.entity_name) !== null;
}

const PROVISIONED_FIELDS = ["min_provisioned_throughput", "max_provisioned_throughput", "provisioned_model_units"];

/** The band the entity reserves: max_provisioned_throughput, or its model units × the chunk size. */
export function bandOf(entity: StoredServedEntity): ProvisionedBand | null {
  const found = entity.entity_name ? catalogueModelOf(entity.entity_name) : null;
  if (!found) return null;
  const tokensPerSecond =
    entity.provisioned_model_units !== undefined
      ? entity.provisioned_model_units * found.model.throughputChunkSize
      : (entity.max_provisioned_throughput ?? 0);
  return { model: found.endpointName, tokensPerSecond };
}

/** The bands of a config, summed per catalogue model (two entities on one model reserve both their bands). */
export function bandsOf(config: StoredConfig | null): Map<string, number> {
  const bands = new Map<string, number>();
  for (const entity of config?.served_entities ?? []) {
    const band = entity.external_model ? null : bandOf(entity);
    if (band) bands.set(band.model, (bands.get(band.model) ?? 0) + band.tokensPerSecond);
  }
  return bands;
}

function offChunk(field: string, value: number, model: CatalogueModel, name: string) {
  const chunk = model.throughputChunkSize;
  const below = Math.floor(value / chunk) * chunk;
  return errors.invalid(
    `Invalid value for '${field}': ${value} tokens/s is not a multiple of the throughput_chunk_size of '${name}' ` +
      `(${chunk} tokens/s); use ${below > 0 ? `${below} or ` : ""}${below + chunk}.`,
  );
}

/**
 * Checks the provisioned-throughput entities of a config against the catalogue (400 on the first problem):
 * the model exists in that version, and its band is on the model's chunk size, min ≤ max, max > 0. The API
 * schema has already refused these fields on other entities.
 */
export function checkProvisionedBands(config: StoredConfig): void {
  for (const entity of config.served_entities) {
    const name = entity.entity_name;
    if (!name?.startsWith(SYSTEM_AI_PREFIX) || entity.external_model) continue;
    const found = catalogueModelOf(name);
    const given = PROVISIONED_FIELDS.filter((f) => entity[f as keyof StoredServedEntity] !== undefined);
    if (!found) {
      if (given.length === 0) continue; // another system.ai model (the built-in encoder): not provisioned
      throw errors.invalid(
        `Invalid value for '${given[0]}': '${name}' is not a Foundation Model API model, so it cannot be provisioned ` +
          "(GET /api/2.0/serving-endpoints/get-model-optimization-info/{name}/{version} says which can).",
      );
    }
    if (given.length === 0 || (given.length === 1 && given[0] === "min_provisioned_throughput"))
      throw errors.invalid(
        `Invalid value for 'max_provisioned_throughput': '${name}' is served with provisioned throughput here; give ` +
          "max_provisioned_throughput or provisioned_model_units (pay-per-token endpoints are the databricks-* ones).",
      );
    if (!CATALOGUE_MODEL_VERSIONS.includes(entity.entity_version ?? ""))
      throw errors.invalid(
        `Invalid value for 'entity_version': '${name}' has version${CATALOGUE_MODEL_VERSIONS.length > 1 ? "s" : ""} ` +
          `${CATALOGUE_MODEL_VERSIONS.join(", ")}, not '${entity.entity_version ?? ""}'.`,
      );
    const { model } = found;
    const min = entity.min_provisioned_throughput;
    const max = entity.max_provisioned_throughput;
    for (const [field, value] of [
      ["min_provisioned_throughput", min],
      ["max_provisioned_throughput", max],
    ] as const)
      if (value !== undefined && value % model.throughputChunkSize !== 0) throw offChunk(field, value, model, name);
    if (max === 0)
      throw errors.invalid(
        "Invalid value for 'max_provisioned_throughput': must be above 0 (it is the band reserved).",
      );
    if (min !== undefined && max !== undefined && min > max)
      throw errors.invalid(
        `Invalid value for 'min_provisioned_throughput': ${min} is above max_provisioned_throughput (${max}).`,
      );
  }
}
