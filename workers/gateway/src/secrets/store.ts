import { errors } from "@edgeserve/api";
import { type SecretPermission, secretPermissionRank } from "@edgeserve/api/secrets";
import { type Database, secretAcls, secretScopes, secrets } from "@edgeserve/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Env } from "../env";
import { type Principal, USERS_GROUP } from "../identity/principal";
import { decryptSecret, encryptSecret, secretAad } from "./crypto";

const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

export type ScopeRow = typeof secretScopes.$inferSelect;

export async function findScope(db: Database, scope: string): Promise<ScopeRow | null> {
  const rows = await db.select().from(secretScopes).where(eq(secretScopes.name, scope)).limit(1);
  return rows[0] ?? null;
}

export async function scopeExists(db: Database, scope: string): Promise<boolean> {
  return (await findScope(db, scope)) !== null;
}

/** Encrypts and upserts raw bytes (what `bytes_value` carries). */
export async function putSecretBytes(
  db: Database,
  env: Env,
  scope: string,
  key: string,
  value: Uint8Array,
): Promise<void> {
  const sealed = await encryptSecret(env, secretAad(scope, key), value);
  await db
    .insert(secrets)
    .values({ scope, key, ciphertext: sealed.ciphertext, iv: sealed.iv })
    .onConflictDoUpdate({
      target: [secrets.scope, secrets.key],
      set: { ciphertext: sealed.ciphertext, iv: sealed.iv, updatedAt: nowMs },
    });
}

/** Encrypts and upserts a value; the scope must exist. */
export async function putSecretValue(db: Database, env: Env, scope: string, key: string, value: string): Promise<void> {
  await putSecretBytes(db, env, scope, key, new TextEncoder().encode(value));
}

async function getSecretBytes(db: Database, env: Env, scope: string, key: string): Promise<Uint8Array | null> {
  const rows = await db
    .select({ ciphertext: secrets.ciphertext, iv: secrets.iv })
    .from(secrets)
    .where(and(eq(secrets.scope, scope), eq(secrets.key, key)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return decryptSecret(env, secretAad(scope, key), row);
}

/** The decrypted value as UTF-8 text, or null if there is no such secret. */
export async function getSecretValue(db: Database, env: Env, scope: string, key: string): Promise<string | null> {
  const bytes = await getSecretBytes(db, env, scope, key);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * A hidden scope owned by an endpoint, holding the `*_plaintext` credentials of its config.
 * Idempotent for the same owner; a name already taken by another scope is a conflict.
 */
export async function createSystemScope(
  db: Database,
  scope: string,
  ownerEndpointId: string,
  creatorId: string,
): Promise<void> {
  await db.insert(secretScopes).values({ name: scope, creatorId, ownerEndpointId }).onConflictDoNothing();
  const existing = await findScope(db, scope);
  if (existing?.ownerEndpointId !== ownerEndpointId) throw errors.conflict(`Scope ${scope} already exists`);
}

/** Deletes every scope (and its secrets and ACLs) owned by an endpoint. */
export async function deleteEndpointSecrets(db: Database, endpointId: string): Promise<void> {
  const owned = db
    .select({ name: secretScopes.name })
    .from(secretScopes)
    .where(eq(secretScopes.ownerEndpointId, endpointId));
  await db.batch([
    db.delete(secrets).where(inArray(secrets.scope, owned)),
    db.delete(secretAcls).where(inArray(secretAcls.scope, owned)),
    db.delete(secretScopes).where(eq(secretScopes.ownerEndpointId, endpointId)),
  ]);
}

/** Every ACL principal name that stands for this caller: its own name, its groups, and "users". */
export function aclNamesOf(principal: Principal): string[] {
  return [...new Set([principal.name, ...principal.groupNames, USERS_GROUP])];
}

/**
 * The caller's effective permission on a user scope: admins and the creator have MANAGE;
 * otherwise the strongest ACL on any of its names. System scopes are not governed by ACLs: null.
 */
export async function scopePermission(
  db: Database,
  principal: Principal,
  scope: ScopeRow,
): Promise<SecretPermission | null> {
  if (scope.ownerEndpointId !== null) return null;
  if (principal.isAdmin || scope.creatorId === principal.id) return "MANAGE";
  const rows = await db
    .select({ permission: secretAcls.permission })
    .from(secretAcls)
    .where(and(eq(secretAcls.scope, scope.name), inArray(secretAcls.principal, aclNamesOf(principal))));
  let best: SecretPermission | null = null;
  for (const row of rows) if (secretPermissionRank(row.permission) > secretPermissionRank(best)) best = row.permission;
  return best;
}

/**
 * Whether a query running as `principal` may resolve secrets of `scope`. A system scope is readable only
 * on behalf of the endpoint that owns it (whoever the caller is); a user scope needs READ or better.
 */
export async function canReadScope(
  db: Database,
  principal: Principal,
  scope: string,
  endpointId?: string,
): Promise<boolean> {
  const row = await findScope(db, scope);
  if (!row) return false;
  if (row.ownerEndpointId !== null) return endpointId !== undefined && endpointId === row.ownerEndpointId;
  return secretPermissionRank(await scopePermission(db, principal, row)) >= secretPermissionRank("READ");
}
