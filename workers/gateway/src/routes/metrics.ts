import {
  DEFAULT_METRICS_SERIES_WINDOW_MS,
  METRICS_SERIES_MAX_BUCKETS,
  type MetricsSeriesResponse,
  errors,
  metricsSeriesQuery,
} from "@edgeserve/api";
import { Hono } from "hono";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { readQuery } from "../http/read-json";
import { readEndpointMetrics } from "../metrics/read-endpoint-metrics";
import { readMetricsSeries } from "../metrics/read-metrics-series";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../metrics/render-prometheus";

/**
 * GET /api/2.0/serving-endpoints/{name}/metrics: Prometheus text for a scraper (CAN_VIEW).
 * GET …/metrics/series: the same queries per time bucket, as JSON, for charts (CAN_VIEW).
 */
export const metricsRoutes = new Hono<AppEnv>();

metricsRoutes.get("/:name/metrics", async (c) => {
  const { row } = await loadEndpointForCaller(c.env, c.get("db"), c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const text = renderPrometheus(await readEndpointMetrics(c.get("db"), { id: row.id, name: row.name }));
  return c.body(text, 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
});

metricsRoutes.get("/:name/metrics/series", async (c) => {
  const query = readQuery(c, metricsSeriesQuery);
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const intervalMs = query.interval_s * 1000;
  const endTime = query.end_time ?? Date.now();
  const startTime = query.start_time ?? Math.max(0, endTime - DEFAULT_METRICS_SERIES_WINDOW_MS);
  if (startTime >= endTime)
    throw errors.invalid(`Invalid value for 'start_time': must be before end_time (${endTime}).`);
  const buckets = Math.ceil((endTime - startTime) / intervalMs);
  if (buckets > METRICS_SERIES_MAX_BUCKETS) {
    throw errors.invalid(
      `The window holds ${buckets} buckets of ${query.interval_s} s; at most ${METRICS_SERIES_MAX_BUCKETS} are ` +
        "allowed: choose a larger 'interval_s' or a shorter window.",
    );
  }
  const body: MetricsSeriesResponse = {
    endpoint_name: row.name,
    start_time: startTime,
    end_time: endTime,
    interval_s: query.interval_s,
    buckets: await readMetricsSeries(db, row.id, startTime, endTime, intervalMs),
  };
  return c.json(body);
});
