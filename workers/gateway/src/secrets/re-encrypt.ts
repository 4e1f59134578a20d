import { type Database, secrets } from "@edgeserve/db";
import { and, asc, eq, gt, or } from "drizzle-orm";
import { SecretDecryptionError, encryptSecret, openSecret, secretAad } from "./crypto";
import type { Env } from "../env";

/** Where a page of the re-encryption ended: secrets are visited in (scope, key) order. */
export interface SecretPosition {
  scope: string;
  key: string;
}

export interface ReEncryptPage {
  reEncrypted: number;
  alreadyCurrent: number;
  undecryptable: SecretPosition[];
  next?: SecretPosition;
}

/**
 * One page of a master-key rotation: every stored secret after `after` (at most `limit`) that opens only
 * under `EDGESERVE_MASTER_KEY_PREVIOUS` is sealed again under `EDGESERVE_MASTER_KEY`. The write is a
 * compare-and-set on the old ciphertext, so a `secrets/put` that lands meanwhile is never overwritten.
 * A value neither key opens is reported by name and left untouched (it may belong to a key the operator
 * still has). Plaintext never leaves this function.
 */
export async function reEncryptSecrets(
  db: Database,
  env: Env,
  limit: number,
  after?: SecretPosition,
): Promise<ReEncryptPage> {
  const rows = await db
    .select({ scope: secrets.scope, key: secrets.key, ciphertext: secrets.ciphertext, iv: secrets.iv })
    .from(secrets)
    .where(
      after
        ? or(gt(secrets.scope, after.scope), and(eq(secrets.scope, after.scope), gt(secrets.key, after.key)))
        : undefined,
    )
    .orderBy(asc(secrets.scope), asc(secrets.key))
    .limit(limit + 1);
  const page: ReEncryptPage = { reEncrypted: 0, alreadyCurrent: 0, undecryptable: [] };
  for (const row of rows.slice(0, limit)) {
    const aad = secretAad(row.scope, row.key);
    let opened: Awaited<ReturnType<typeof openSecret>>;
    try {
      opened = await openSecret(env, aad, row);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      page.undecryptable.push({ scope: row.scope, key: row.key });
      continue;
    }
    if (opened.underCurrentKey) {
      page.alreadyCurrent++;
      continue;
    }
    const sealed = await encryptSecret(env, aad, opened.plaintext);
    await db
      .update(secrets)
      .set({ ciphertext: sealed.ciphertext, iv: sealed.iv })
      .where(and(eq(secrets.scope, row.scope), eq(secrets.key, row.key), eq(secrets.ciphertext, row.ciphertext)));
    page.reEncrypted++;
  }
  const last = rows[limit - 1];
  if (rows.length > limit && last) page.next = { scope: last.scope, key: last.key };
  return page;
}
