import {
  DEFAULT_USAGE_RECORDS_RESULTS,
  DEFAULT_USAGE_WINDOW_MS,
  type ListUsageRecordsResponse,
  type UsageResponse,
  errors,
  listUsageRecordsQuery,
  permissionRank,
  usageQuery,
} from "@edgeserve/api";
import { type Database, principals } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import type { Principal } from "../identity/principal";
import { readQuery } from "../http/read-json";
import { decodePageToken, encodePageToken } from "../payload-logs/read-logs";
import { readUsage } from "../serving/usage/read-usage";
import { type Requester, readUsageRecords } from "../serving/usage/read-usage-records";

/**
 * GET /api/2.0/serving-endpoints/{name}/usage: tracked usage by user, served entity or day (CAN_VIEW);
 * GET …/usage/records: the tracked calls one by one (CAN_MANAGE sees every caller's, others their own).
 */
export const usageRoutes = new Hono<AppEnv>();

/** [start_time, end_time): end_time defaults to now, start_time to 30 days before it. */
function usageWindow(query: { start_time?: number; end_time?: number }) {
  const endTime = query.end_time ?? Date.now();
  const startTime = query.start_time ?? Math.max(0, endTime - DEFAULT_USAGE_WINDOW_MS);
  // The schema checks the pair when both are given; this covers a start_time after the default end (now).
  if (startTime >= endTime)
    throw errors.invalid(`Invalid value for 'start_time': must be before end_time (${endTime}).`);
  return { startTime, endTime };
}

usageRoutes.get("/:name/usage", async (c) => {
  const query = readQuery(c, usageQuery);
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const { startTime, endTime } = usageWindow(query);
  const body: UsageResponse = {
    endpoint_name: row.name,
    start_time: startTime,
    end_time: endTime,
    group_by: query.group_by,
    usage: await readUsage(db, row.id, startTime, endTime, query.group_by, row.endpointType === "FOUNDATION_MODEL_API"),
  };
  return c.json(body);
});

/** The caller as its usage records name it, with its creation time (see readUsageRecords). */
async function requesterOf(db: Database, principal: Principal): Promise<Requester> {
  const [row] = await db
    .select({ createdAt: principals.createdAt })
    .from(principals)
    .where(eq(principals.id, principal.id));
  return { name: principal.name, kind: principal.kind, createdAt: row?.createdAt ?? Date.now() };
}

usageRoutes.get("/:name/usage/records", async (c) => {
  const query = readQuery(c, listUsageRecordsQuery);
  const db = c.get("db");
  const principal = c.get("principal");
  // Records are kept under the endpoint's id: after a name is reused, the earlier endpoint's calls stay out.
  const { row, level } = await loadEndpointForCaller(c.env, db, principal, c.req.param("name"), "CAN_VIEW");
  const page = await readUsageRecords(db, row.id, {
    ...usageWindow(query),
    maxResults: query.max_results ?? DEFAULT_USAGE_RECORDS_RESULTS,
    ...(query.page_token ? { after: decodePageToken(query.page_token) } : {}),
    // Who called, with what usage_context, is the manager's to see; anyone may see their own calls.
    ...(permissionRank(level) >= permissionRank("CAN_MANAGE") ? {} : { requester: await requesterOf(db, principal) }),
  });
  const body: ListUsageRecordsResponse = {
    endpoint_name: row.name,
    usage_records: page.records,
    ...(page.next ? { next_page_token: encodePageToken(page.next) } : {}),
  };
  return c.json(body);
});
