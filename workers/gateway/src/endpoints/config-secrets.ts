import { PROVIDERS, parseSecretReference } from "@edgeserve/api";
import type { StoredConfig } from "./stored-config";

/** Prefix of the hidden scopes that hold endpoints' `*_plaintext` credentials; reserved in the Secrets API. */
export const RESERVED_SCOPE_PREFIX = "endpoint-";

/** The hidden scope that holds the `*_plaintext` credentials given in one endpoint's config. */
export function endpointSecretScope(endpointId: string): string {
  return `${RESERVED_SCOPE_PREFIX}${endpointId}`;
}

type Json = Record<string, unknown>;

function walk(obj: Json, path: string): { parent: Json; field: string } | null {
  const parts = path.split(".");
  let parent: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    parent = parent && typeof parent === "object" ? (parent as Json)[p] : undefined;
  }
  return parent && typeof parent === "object" ? { parent: parent as Json, field: parts.at(-1)! } : null;
}

/**
 * Moves every `<field>_plaintext` value out of the config into secrets of the endpoint's own scope,
 * leaving a `{{secrets/…}}` reference in `<field>`: plaintext is never stored in config nor echoed.
 * Keys carry the config version so that deploying a new config never changes the live one's credentials.
 */
export function extractPlaintextSecrets(config: StoredConfig, endpointId: string): { config: StoredConfig; secrets: { key: string; value: string }[] } {
  const copy = structuredClone(config);
  const secrets: { key: string; value: string }[] = [];
  const scope = endpointSecretScope(endpointId);
  for (const entity of copy.served_entities) {
    const model = entity.external_model;
    if (!model) continue;
    const spec = PROVIDERS[model.provider];
    const providerConfig = (model as Json)[spec.configKey] as Json | undefined;
    if (!providerConfig) continue;
    for (const field of spec.secretFields) {
      const at = walk(providerConfig, field);
      if (!at) continue;
      const plain = at.parent[`${at.field}_plaintext`];
      if (typeof plain !== "string") continue;
      const key = `${entity.name}.${field}.v${copy.config_version}`;
      secrets.push({ key, value: plain });
      delete at.parent[`${at.field}_plaintext`];
      at.parent[at.field] = `{{secrets/${scope}/${key}}}`;
    }
  }
  return { config: copy, secrets };
}

/** Every `{{secrets/scope/key}}` the config refers to: provider credentials and environment variables. */
export function secretReferencesIn(config: StoredConfig): { scope: string; key: string; where: string }[] {
  const refs: { scope: string; key: string; where: string }[] = [];
  for (const entity of config.served_entities) {
    for (const [name, value] of Object.entries(entity.environment_vars ?? {})) {
      const ref = parseSecretReference(value);
      if (ref) refs.push({ ...ref, where: `${entity.name}.environment_vars.${name}` });
    }
    const model = entity.external_model;
    if (!model) continue;
    const spec = PROVIDERS[model.provider];
    const providerConfig = (model as Json)[spec.configKey] as Json | undefined;
    if (!providerConfig) continue;
    for (const field of spec.secretFields) {
      const at = walk(providerConfig, field);
      const value = at?.parent[at.field];
      const ref = typeof value === "string" ? parseSecretReference(value) : null;
      if (ref) refs.push({ ...ref, where: `${entity.name}.${spec.configKey}.${field}` });
    }
  }
  return refs;
}
