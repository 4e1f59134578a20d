import { type Database, tokens } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { TtlCache, cacheTtlMs } from "../cache/ttl-cache";
import type { Env } from "../env";
import { BOOTSTRAP_IDS, ensureBootstrap } from "./bootstrap";
import { loadPrincipal } from "./load-principal";
import type { Principal } from "./principal";
import { hashToken, timingSafeEqual } from "./token-hash";

/**
 * token → principal (or null for an unknown token, cached too so bad tokens don't hammer D1).
 * Keyed by the token itself, so a warm request hashes nothing: the SHA-256 is only for the D1 lookup.
 */
let cache: TtlCache<{ principal: Principal | null; expiresAt: number }> | null = null;

function tokenCache(env: Env) {
  cache ??= new TtlCache(cacheTtlMs(env));
  return cache;
}

/** Forget cached lookups, e.g. after a token is revoked or a principal changes in this isolate. */
export function invalidateTokenCache(): void {
  cache?.clear();
}

/** Resolves a bearer token to its principal, or null. Revocations reach other isolates within the cache TTL. */
export async function authenticateToken(env: Env, db: Database, token: string): Promise<Principal | null> {
  const now = Date.now();
  const entry = await tokenCache(env).getOrLoad(token, () => lookUpToken(env, db, token, now), now);
  if (entry.expiresAt !== -1 && entry.expiresAt <= now) return null;
  return entry.principal;
}

async function lookUpToken(
  env: Env,
  db: Database,
  token: string,
  now: number,
): Promise<{ principal: Principal | null; expiresAt: number }> {
  if (env.EDGESERVE_ADMIN_TOKEN && timingSafeEqual(token, env.EDGESERVE_ADMIN_TOKEN)) {
    await ensureBootstrap(db);
    return { principal: await loadPrincipal(db, BOOTSTRAP_IDS.adminUser), expiresAt: -1 };
  }
  const hash = await hashToken(token);
  const rows = await db
    .select({ principalId: tokens.principalId, expiresAt: tokens.expiresAt })
    .from(tokens)
    .where(eq(tokens.tokenHash, hash))
    .limit(1);
  const row = rows[0];
  const principal =
    row && (row.expiresAt === -1 || row.expiresAt > now) ? await loadPrincipal(db, row.principalId) : null;
  return { principal, expiresAt: row?.expiresAt ?? -1 };
}
