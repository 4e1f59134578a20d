import { apiRequest } from "./client";
import type { EndpointDetailed, EndpointSummary, MetricsSeriesResponse } from "./types";

const BASE = "/api/2.0/serving-endpoints";
const enc = encodeURIComponent;

export interface EndpointsPage {
  endpoints?: EndpointSummary[];
  next_page_token?: string;
}

/** One page of the endpoints the caller may view, in name order (page_size: Edgeserve's extension of the list). */
export function listEndpoints(
  options: { pageSize?: number; pageToken?: string; search?: string } = {},
  signal?: AbortSignal,
): Promise<EndpointsPage> {
  return apiRequest("GET", BASE, {
    query: { page_size: options.pageSize, page_token: options.pageToken, search: options.search },
    signal,
  });
}

export function getEndpoint(name: string, signal?: AbortSignal): Promise<EndpointDetailed> {
  return apiRequest("GET", `${BASE}/${enc(name)}`, { signal });
}

export function getMetricsSeries(
  name: string,
  window: { startTime: number; endTime: number; intervalS: number },
  signal?: AbortSignal,
): Promise<MetricsSeriesResponse> {
  return apiRequest("GET", `${BASE}/${enc(name)}/metrics/series`, {
    query: { start_time: window.startTime, end_time: window.endTime, interval_s: window.intervalS },
    signal,
  });
}
