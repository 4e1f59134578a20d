import { DEFAULT_USAGE_WINDOW_MS, type UsageResponse, errors, usageQuery } from "@edgeserve/api";
import { Hono } from "hono";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { readQuery } from "../http/read-json";
import { readUsage } from "../serving/usage/read-usage";

/** GET /api/2.0/serving-endpoints/{name}/usage: tracked usage by user, served entity or day (CAN_VIEW). */
export const usageRoutes = new Hono<AppEnv>();

usageRoutes.get("/:name/usage", async (c) => {
  const query = readQuery(c, usageQuery);
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const endTime = query.end_time ?? Date.now();
  const startTime = query.start_time ?? Math.max(0, endTime - DEFAULT_USAGE_WINDOW_MS);
  // The schema checks the pair when both are given; this covers a start_time after the default end (now).
  if (startTime >= endTime)
    throw errors.invalid(`Invalid value for 'start_time': must be before end_time (${endTime}).`);
  const body: UsageResponse = {
    endpoint_name: row.name,
    start_time: startTime,
    end_time: endTime,
    group_by: query.group_by,
    usage: await readUsage(db, row.id, startTime, endTime, query.group_by, row.endpointType === "FOUNDATION_MODEL_API"),
  };
  return c.json(body);
});
