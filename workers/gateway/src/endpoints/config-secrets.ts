import { PROVIDERS, credentialSlots, parseSecretReference } from "@edgeserve/api";
import type { StoredConfig, StoredServedEntity } from "./stored-config";

/** Prefix of the hidden scopes that hold endpoints' `*_plaintext` credentials; reserved in the Secrets API. */
export const RESERVED_SCOPE_PREFIX = "endpoint-";

/** The hidden scope that holds the `*_plaintext` credentials given in one endpoint's config. */
export function endpointSecretScope(endpointId: string): string {
  return `${RESERVED_SCOPE_PREFIX}${endpointId}`;
}

/**
 * Moves every `<field>_plaintext` value out of the config into secrets of the endpoint's own scope,
 * leaving a `{{secrets/…}}` reference in `<field>`: plaintext is never stored in config nor echoed.
 * Keys carry the config version so that deploying a new config never changes the live one's credentials.
 */
export function extractPlaintextSecrets(
  config: StoredConfig,
  endpointId: string,
): { config: StoredConfig; secrets: { key: string; value: string }[] } {
  const copy = structuredClone(config);
  const secrets: { key: string; value: string }[] = [];
  const scope = endpointSecretScope(endpointId);
  for (const entity of copy.served_entities) {
    if (!entity.external_model) continue;
    for (const { field, holder, name } of credentialSlots(entity.external_model)) {
      const plain = holder[`${name}_plaintext`];
      if (typeof plain !== "string") continue;
      const key = `${entity.name}.${field}.v${copy.config_version}`;
      secrets.push({ key, value: plain });
      delete holder[`${name}_plaintext`];
      holder[name] = `{{secrets/${scope}/${key}}}`;
    }
  }
  return { config: copy, secrets };
}

export interface SecretReferenceUse {
  scope: string;
  key: string;
  /** Where in the config it is used, for messages. */
  where: string;
}

/**
 * Every `{{secrets/scope/key}}` one served entity refers to: its provider credentials (environment_vars are refused).
 */
export function entitySecretReferences(entity: StoredServedEntity): SecretReferenceUse[] {
  const refs: SecretReferenceUse[] = [];
  const model = entity.external_model;
  if (!model) return refs;
  for (const { field, holder, name } of credentialSlots(model)) {
    const value = holder[name];
    const ref = typeof value === "string" ? parseSecretReference(value) : null;
    if (ref) refs.push({ ...ref, where: `${entity.name}.${PROVIDERS[model.provider].configKey}.${field}` });
  }
  return refs;
}

/** Every `{{secrets/scope/key}}` the config refers to. */
export function secretReferencesIn(config: StoredConfig): SecretReferenceUse[] {
  return config.served_entities.flatMap(entitySecretReferences);
}
