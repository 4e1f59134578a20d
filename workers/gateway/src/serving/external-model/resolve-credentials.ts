import { PROVIDERS, errors, parseSecretReference, type ExternalModel } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Env } from "../../env";
import { getSecretValue } from "../../secrets/store";

/**
 * Decrypts the credentials an external model's config refers to. Called only when a query needs
 * them; the query path memoises the result per config version, so warm requests skip this.
 */
export async function resolveCredentials(db: Database, env: Env, model: ExternalModel): Promise<Map<string, string>> {
  const spec = PROVIDERS[model.provider];
  const config = (model as Record<string, unknown>)[spec.configKey] as Record<string, unknown> | undefined;
  const out = new Map<string, string>();
  if (!config) return out;
  for (const field of spec.secretFields) {
    const value = field.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), config);
    if (typeof value !== "string") continue;
    const ref = parseSecretReference(value);
    if (!ref) continue;
    const secret = await getSecretValue(db, env, ref.scope, ref.key);
    if (secret === null)
      throw errors.unavailable(`A credential of this endpoint (${field}) refers to a secret that no longer exists; the endpoint's owner must update it.`);
    out.set(field, secret);
  }
  return out;
}
