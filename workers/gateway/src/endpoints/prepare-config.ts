import { type EndpointCoreConfigInput, errors } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Env } from "../env";
import type { Principal } from "../identity/principal";
import { canReadScope, createSystemScope, putSecretValue } from "../secrets/store";
import { endpointSecretScope, extractPlaintextSecrets, secretReferencesIn } from "./config-secrets";
import { checkProvisionedBands } from "../foundation-models/provisioned-band";
import { normalizeConfig } from "./normalize-config";
import type { StoredConfig } from "./stored-config";

export interface PreparedConfig {
  config: StoredConfig;
  /** Plaintext credentials to move into the endpoint's own secret scope. */
  secrets: { key: string; value: string }[];
}

/**
 * Validates a config for an endpoint (pure rules, then the caller's READ permission on every
 * secret scope it refers to). Nothing is written: a rejected config changes no state.
 */
export async function prepareConfig(
  db: Database,
  principal: Principal,
  endpointId: string,
  input: EndpointCoreConfigInput,
  configVersion: number,
): Promise<PreparedConfig> {
  const normalized = normalizeConfig(input, { creator: principal.name, now: Date.now(), configVersion });
  checkProvisionedBands(normalized);
  const { config, secrets } = extractPlaintextSecrets(normalized, endpointId);
  const ownScope = endpointSecretScope(endpointId);
  const checked = new Set<string>();
  for (const ref of secretReferencesIn(config)) {
    if (ref.scope === ownScope && secrets.some((s) => s.key === ref.key)) continue;
    if (checked.has(ref.scope)) continue;
    checked.add(ref.scope);
    if (!(await canReadScope(db, principal, ref.scope, endpointId)))
      throw errors.permissionDenied(
        `User '${principal.name}' cannot read secret scope '${ref.scope}' ` +
          `(referenced by ${ref.where}), or it does not exist.`,
      );
  }
  return { config, secrets };
}

/** Stores the plaintext credentials of a prepared config, encrypted, in the endpoint's own scope. */
export async function storeConfigSecrets(
  db: Database,
  env: Env,
  principal: Principal,
  endpointId: string,
  prepared: PreparedConfig,
): Promise<void> {
  if (prepared.secrets.length === 0) return;
  const scope = endpointSecretScope(endpointId);
  await createSystemScope(db, scope, endpointId, principal.id);
  for (const secret of prepared.secrets) await putSecretValue(db, env, scope, secret.key, secret.value);
}
