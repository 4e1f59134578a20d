import type { Database } from "@edgeserve/db";
import { TtlCache, cacheTtlMs } from "../cache/ttl-cache";
import type { Env } from "../env";
import { foundationEndpoint } from "../foundation-models/foundation-endpoints";
import { aclOf, findEndpointByName, storedConfig } from "./store";
import type { LiveEndpoint } from "./live-endpoint";

let cache: TtlCache<LiveEndpoint | null> | null = null;

/**
 * Drops cached endpoint state (and with it the credentials decrypted for it) in this isolate after a
 * write; other isolates see it within the TTL. No name: every endpoint (e.g. after a secret changed).
 */
export function invalidateEndpointCache(name?: string): void {
  if (!cache) return;
  if (name === undefined) cache.clear();
  else cache.delete(name);
}

/**
 * The endpoint as the query path sees it. A config change reaches every isolate within
 * `EDGESERVE_CACHE_TTL_MS` (5 s by default), and the isolate that made it at once.
 */
export async function getLiveEndpoint(env: Env, db: Database, name: string): Promise<LiveEndpoint | null> {
  // Foundation Model APIs come from the operator's config, not D1 (catalogue names are reserved).
  const foundation = foundationEndpoint(env, name);
  if (foundation) return foundation;
  cache ??= new TtlCache(cacheTtlMs(env));
  return cache.getOrLoad(name, () => loadLiveEndpoint(db, name));
}

async function loadLiveEndpoint(db: Database, name: string): Promise<LiveEndpoint | null> {
  const row = await findEndpointByName(db, name);
  if (!row) return null;
  return { row, config: storedConfig(row), acl: await aclOf(db, row.id), memo: new Map() };
}
