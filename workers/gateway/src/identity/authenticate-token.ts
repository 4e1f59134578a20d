import { type Database, tokens } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { TtlCache, cacheTtlMs } from "../cache/ttl-cache";
import type { Env } from "../env";
import { BOOTSTRAP_IDS, ensureBootstrap } from "./bootstrap";
import { loadPrincipal } from "./load-principal";
import type { Principal } from "./principal";
import { hashToken, timingSafeEqual } from "./token-hash";

/** token hash → principal (or null for an unknown token, cached too so bad tokens don't hammer D1). */
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
  if (env.EDGESERVE_ADMIN_TOKEN && timingSafeEqual(token, env.EDGESERVE_ADMIN_TOKEN)) {
    await ensureBootstrap(db);
    const hit = tokenCache(env).get("admin");
    if (hit) return hit.principal;
    const principal = await loadPrincipal(db, BOOTSTRAP_IDS.adminUser);
    tokenCache(env).set("admin", { principal, expiresAt: -1 });
    return principal;
  }
  const hash = await hashToken(token);
  const now = Date.now();
  const hit = tokenCache(env).get(hash, now);
  if (hit) return hit.expiresAt !== -1 && hit.expiresAt <= now ? null : hit.principal;
  const rows = await db
    .select({ principalId: tokens.principalId, expiresAt: tokens.expiresAt })
    .from(tokens)
    .where(eq(tokens.tokenHash, hash))
    .limit(1);
  const row = rows[0];
  const principal = row && (row.expiresAt === -1 || row.expiresAt > now) ? await loadPrincipal(db, row.principalId) : null;
  tokenCache(env).set(hash, { principal, expiresAt: row?.expiresAt ?? -1 }, now);
  return principal;
}
