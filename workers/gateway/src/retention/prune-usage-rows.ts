import { queryOutcomes, usageRecords } from "@edgeserve/db";
import { getTableConfig } from "drizzle-orm/sqlite-core";

/** How much one run may delete: pages of rows, each its own short D1 write, so consumer writes interleave. */
export interface PruneLimits {
  rowsPerPage: number;
  maxPages: number;
}

const DEFAULT_PRUNE_LIMITS: PruneLimits = { rowsPerPage: 2000, maxPages: 100 };

const RAW_TABLES = [queryOutcomes, usageRecords].map((t) => getTableConfig(t).name);

/**
 * Deletes `query_outcomes` and `usage_records` rows whose query started before `cutoff`, oldest first,
 * page by page through each table's timestamp index. A table with more old rows than a run's pages is
 * finished by the next runs. The running totals and hourly usage are not touched (no DELETE triggers), so
 * GET …/metrics and the whole hours of GET …/usage still count pruned queries.
 */
export async function pruneUsageRows(
  d1: D1Database,
  cutoff: number,
  limits: PruneLimits = DEFAULT_PRUNE_LIMITS,
): Promise<Record<string, { deleted: number; done: boolean }>> {
  const pruned: Record<string, { deleted: number; done: boolean }> = {};
  for (const table of RAW_TABLES) {
    const page = d1
      .prepare(
        `DELETE FROM "${table}" WHERE rowid IN (SELECT rowid FROM ` +
          `"${table}" WHERE "timestamp" < ?1 ORDER BY "timestamp" LIMIT ?2)`,
      )
      .bind(cutoff, limits.rowsPerPage);
    let deleted = 0;
    let done = false;
    for (let i = 0; i < limits.maxPages && !done; i++) {
      const { meta } = await page.run();
      deleted += meta.changes;
      done = meta.changes < limits.rowsPerPage;
    }
    pruned[table] = { deleted, done };
  }
  return pruned;
}
