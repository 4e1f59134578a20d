import { Hono } from "hono";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { readEndpointMetrics } from "../metrics/read-endpoint-metrics";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../metrics/render-prometheus";

/** GET /api/2.0/serving-endpoints/{name}/metrics: Prometheus text for a scraper (CAN_VIEW). */
export const metricsRoutes = new Hono<AppEnv>();

metricsRoutes.get("/:name/metrics", async (c) => {
  const { row } = await loadEndpointForCaller(c.get("db"), c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const text = renderPrometheus(await readEndpointMetrics(c.get("db"), { id: row.id, name: row.name }));
  return c.body(text, 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
});
