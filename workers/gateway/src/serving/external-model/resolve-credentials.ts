import { credentialSlots, errors, parseSecretReference, type ExternalModel } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Env } from "../../env";
import { getSecretValue } from "../../secrets/store";

/**
 * Decrypts the credentials an external model's config refers to. Called only when a query needs
 * them; the query path memoises the result with the isolate's cached endpoint entry (endpoints/cache.ts),
 * so warm requests skip this and a rotated secret is read again within the cache TTL.
 */
export async function resolveCredentials(db: Database, env: Env, model: ExternalModel): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { field, holder, name } of credentialSlots(model)) {
    const value = holder[name];
    if (typeof value !== "string") continue;
    const ref = parseSecretReference(value);
    if (!ref) continue;
    const secret = await getSecretValue(db, env, ref.scope, ref.key);
    if (secret === null)
      throw errors.unavailable(
        `A credential of this endpoint (${field}) refers to a secret ` +
          `that no longer exists; the endpoint's owner must update it.`,
      );
    out.set(field, secret);
  }
  return out;
}
