import {
  DEFAULT_PAYLOAD_LOG_RESULTS,
  type ListPayloadLogsResponse,
  MAX_PAYLOAD_LOG_RANGE_DAYS,
  MAX_PAYLOAD_LOG_SEARCH_OBJECTS,
  errors,
  listPayloadLogsQuery,
} from "@edgeserve/api";
import { Hono } from "hono";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { readQuery } from "../http/read-json";
import { decodePageToken, encodePageToken, readPayloadLogs } from "../payload-logs/read-logs";
import { searchFilter } from "../payload-logs/search-filter";

/** GET /api/2.0/serving-endpoints/{name}/payload-logs: the payload table, read back by time range. */
export const payloadLogRoutes = new Hono<AppEnv>();

payloadLogRoutes.get("/:name/payload-logs", async (c) => {
  // The name is resolved to the endpoint that holds it now: its logs are kept under its id, so an
  // earlier endpoint of the same name (deleted) shows nothing here.
  const { row } = await loadEndpointForCaller(
    c.env,
    c.get("db"),
    c.get("principal"),
    c.req.param("name"),
    "CAN_MANAGE",
  );
  const query = readQuery(c, listPayloadLogsQuery);
  const endMs = query.end_time ?? Date.now() + 1;
  if (endMs - query.start_time > MAX_PAYLOAD_LOG_RANGE_DAYS * 86_400_000)
    throw errors.invalid(
      `start_time: without end_time the range ends now, and it may span at most ${MAX_PAYLOAD_LOG_RANGE_DAYS} days.`,
    );
  const filter = searchFilter(query);
  const page = await readPayloadLogs(c.env.ARTIFACTS, row.id, {
    ...(filter ? { filter, maxObjects: MAX_PAYLOAD_LOG_SEARCH_OBJECTS } : {}),
    startMs: query.start_time,
    endMs,
    maxResults: query.max_results ?? DEFAULT_PAYLOAD_LOG_RESULTS,
    ...(query.page_token ? { after: decodePageToken(query.page_token) } : {}),
  });
  const body: ListPayloadLogsResponse = {
    payload_logs: page.records,
    ...(page.next ? { next_page_token: encodePageToken(page.next) } : {}),
  };
  return c.json(body);
});
