import { endpoints, queryOutcomeTotals, trackedUsageByHour, usageTokenTotals } from "@edgeserve/db";
import { getTableConfig } from "drizzle-orm/sqlite-core";

const TOTALS_TABLES = [queryOutcomeTotals, usageTokenTotals, trackedUsageByHour].map((t) => getTableConfig(t).name);
const ENDPOINTS = getTableConfig(endpoints).name;

/**
 * The totals (metrics) and hourly usage are kept as long as their endpoint exists: no API can reach those
 * of a deleted one (a new endpoint of the same name has a new id), so they go, one statement per table.
 * Events still in the queue for a just-deleted endpoint may add a row back; the next run takes it.
 */
export async function pruneDeletedEndpointTotals(d1: D1Database): Promise<number> {
  const results = await d1.batch(
    TOTALS_TABLES.map((table) =>
      d1.prepare(`DELETE FROM "${table}" WHERE "endpoint_id" NOT IN (SELECT "id" FROM "${ENDPOINTS}")`),
    ),
  );
  return results.reduce((n, r) => n + r.meta.changes, 0);
}
