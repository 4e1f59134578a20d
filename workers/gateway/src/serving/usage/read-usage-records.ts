import type { UsageRecord } from "@edgeserve/api";
import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import { and, asc, eq, exists, gt, gte, lt, or, sql } from "drizzle-orm";
import type { PageCursor } from "../../payload-logs/read-logs";

/** One caller, as usage records name it, and when that principal was created. */
export interface Requester {
  name: string;
  kind: "user" | "service_principal";
  createdAt: number;
}

export interface UsageRecordsPage {
  records: UsageRecord[];
  /** Where the next page starts; absent on the last page. */
  next?: PageCursor;
}

/**
 * One page of an endpoint's usage records in [startTime, endTime), oldest first, ordered by (time, record id)
 * so pages neither skip nor repeat rows. As for the usage API (read-usage.ts), only provider calls of queries
 * made while usage tracking was on are listed. `requester` narrows the rows to one caller's own: records
 * keep the caller's name, not its id, so only those made since that principal was created are theirs (a user
 * deleted and re-created under the same name does not inherit the earlier one's calls).
 */
export async function readUsageRecords(
  db: Database,
  endpointId: string,
  window: { startTime: number; endTime: number; maxResults: number; after?: PageCursor; requester?: Requester },
): Promise<UsageRecordsPage> {
  const r = usageRecords;
  const after = window.after;
  const rows = await db
    .select()
    .from(r)
    .where(
      and(
        eq(r.endpointId, endpointId),
        gte(r.timestamp, window.startTime),
        lt(r.timestamp, window.endTime),
        window.requester === undefined
          ? undefined
          : and(
              eq(r.requester, window.requester.name),
              eq(r.requesterKind, window.requester.kind),
              gte(r.timestamp, window.requester.createdAt),
            ),
        after ? or(gt(r.timestamp, after.t), and(eq(r.timestamp, after.t), gt(r.id, after.id))) : undefined,
        exists(
          db
            .select({ one: sql`1` })
            .from(queryOutcomes)
            .where(
              and(
                eq(queryOutcomes.requestId, r.requestId),
                eq(queryOutcomes.endpointId, r.endpointId),
                eq(queryOutcomes.usageTracked, true),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(r.timestamp), asc(r.id))
    // One more than a page: whether a next page exists, without a count query.
    .limit(window.maxResults + 1);
  const page = rows.slice(0, window.maxResults);
  const last = page.at(-1);
  return {
    records: page.map((row) => ({
      databricks_request_id: row.requestId,
      client_request_id: row.clientRequestId,
      requester: row.requester,
      request_time: row.timestamp,
      status_code: row.status,
      input_token_count: row.promptTokens,
      output_token_count: row.completionTokens,
      token_counts_estimated: row.estimated,
      usage_context: (row.usageContext as Record<string, unknown> | null) ?? null,
      request_streaming: row.stream,
      served_entity_name: row.servedEntity,
      execution_duration_ms: row.latencyMs,
    })),
    ...(rows.length > window.maxResults && last ? { next: { t: last.timestamp, id: last.id } } : {}),
  };
}
