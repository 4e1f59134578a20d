import { type Database, endpointConfigVersions, endpoints } from "@edgeserve/db";
import { and, desc, eq, lt } from "drizzle-orm";
import type { StoredConfig } from "./stored-config";

/**
 * Adds the endpoint's active config to its history, if it is version `configVersion` and promoted:
 * read from the row itself, so in a batch after the promoting UPDATE it records exactly what was promoted
 * (and nothing when that UPDATE lost to a newer config). A redelivered deployment records it once.
 */
export function recordPromotedConfig(db: Database, endpointId: string, configVersion: number) {
  return db
    .insert(endpointConfigVersions)
    .select(
      db
        .select({
          endpointId: endpoints.id,
          configVersion: endpoints.configVersion,
          config: endpoints.config,
          promotedAt: endpoints.updatedAt,
        })
        .from(endpoints)
        .where(
          and(
            eq(endpoints.id, endpointId),
            eq(endpoints.configVersion, configVersion),
            eq(endpoints.configUpdate, "NOT_UPDATING"),
          ),
        ),
    )
    .onConflictDoNothing();
}

export interface ConfigHistoryEntry {
  configVersion: number;
  config: StoredConfig;
  promotedAt: number;
}

/** One page of an endpoint's promoted configs, newest first, with versions below `before` when given. */
export async function listConfigHistory(
  db: Database,
  endpointId: string,
  pageSize: number,
  before?: number,
): Promise<ConfigHistoryEntry[]> {
  const rows = await db
    .select()
    .from(endpointConfigVersions)
    .where(
      and(
        eq(endpointConfigVersions.endpointId, endpointId),
        before === undefined ? undefined : lt(endpointConfigVersions.configVersion, before),
      ),
    )
    .orderBy(desc(endpointConfigVersions.configVersion))
    .limit(pageSize);
  return rows.map((r) => ({
    configVersion: r.configVersion,
    config: r.config as StoredConfig,
    promotedAt: r.promotedAt,
  }));
}

export async function readConfigVersion(
  db: Database,
  endpointId: string,
  configVersion: number,
): Promise<ConfigHistoryEntry | null> {
  const rows = await db
    .select()
    .from(endpointConfigVersions)
    .where(
      and(eq(endpointConfigVersions.endpointId, endpointId), eq(endpointConfigVersions.configVersion, configVersion)),
    )
    .limit(1);
  const row = rows[0];
  return row
    ? { configVersion: row.configVersion, config: row.config as StoredConfig, promotedAt: row.promotedAt }
    : null;
}
