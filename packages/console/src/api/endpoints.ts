import { client, sdkCall } from "./sdk";
import type {
  ConfigVersionsPage,
  EndpointDetailed,
  EndpointSummary,
  MetricsSeriesResponse,
  PayloadLogsPage,
  UsageResponse,
} from "./types";

/** The bucket widths GET …/metrics/series accepts (packages/api METRICS_SERIES_INTERVALS_S). */
export type MetricsIntervalS = 60 | 300 | 900 | 3600 | 21600 | 86400;

export interface EndpointsPage {
  endpoints?: EndpointSummary[];
  next_page_token?: string;
}

/** One page of the endpoints the caller may view, in name order (page_size: Edgeserve's extension of the list). */
export async function listEndpoints(
  options: { pageSize?: number; pageToken?: string; search?: string } = {},
  signal?: AbortSignal,
): Promise<EndpointsPage> {
  const query = {
    ...(options.pageSize ? { page_size: String(options.pageSize) } : {}),
    ...(options.pageToken ? { page_token: options.pageToken } : {}),
    ...(options.search ? { search: options.search } : {}),
  };
  return (await sdkCall(client().GET("/api/2.0/serving-endpoints", { params: { query }, signal }))) as EndpointsPage;
}

export async function getEndpoint(name: string, signal?: AbortSignal): Promise<EndpointDetailed> {
  const request = client().GET("/api/2.0/serving-endpoints/{name}", { params: { path: { name } }, signal });
  return (await sdkCall(request)) as EndpointDetailed;
}

export function getMetricsSeries(
  name: string,
  window: { startTime: number; endTime: number; intervalS: MetricsIntervalS },
  signal?: AbortSignal,
): Promise<MetricsSeriesResponse> {
  const query = {
    start_time: String(window.startTime),
    end_time: String(window.endTime),
    interval_s: String(window.intervalS) as `${MetricsIntervalS}`,
  };
  return sdkCall(
    client().GET("/api/2.0/serving-endpoints/{name}/metrics/series", { params: { path: { name }, query }, signal }),
  ) as Promise<MetricsSeriesResponse>;
}

export async function getEntityLog(
  name: string,
  entity: string,
  kind: "logs" | "build-logs",
  signal?: AbortSignal,
): Promise<string> {
  const path = { name, served_model_name: entity };
  const request =
    kind === "logs"
      ? client().GET("/api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/logs", {
          params: { path },
          signal,
        })
      : client().GET("/api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/build-logs", {
          params: { path },
          signal,
        });
  return ((await sdkCall(request)) as { logs: string }).logs;
}

export function getUsage(
  name: string,
  groupBy: "user" | "served_entity" | "day",
  window: { startTime: number; endTime: number },
  signal?: AbortSignal,
): Promise<UsageResponse> {
  const query = { group_by: groupBy, start_time: String(window.startTime), end_time: String(window.endTime) };
  return sdkCall(
    client().GET("/api/2.0/serving-endpoints/{name}/usage", { params: { path: { name }, query }, signal }),
  ) as Promise<UsageResponse>;
}

/** A payload-log search the API runs (request_id, status, text: Edgeserve's extension of the list). */
export interface PayloadLogSearch {
  requestId?: string;
  status?: "success" | "error";
  text?: string;
}

export function listPayloadLogs(
  name: string,
  options: { startTime: number; pageToken?: string; maxResults?: number; search?: PayloadLogSearch },
  signal?: AbortSignal,
): Promise<PayloadLogsPage> {
  const search = options.search ?? {};
  const query = {
    start_time: String(options.startTime),
    ...(options.maxResults ? { max_results: String(options.maxResults) } : {}),
    ...(options.pageToken ? { page_token: options.pageToken } : {}),
    ...(search.requestId ? { request_id: search.requestId } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.text ? { text: search.text } : {}),
  };
  return sdkCall(
    client().GET("/api/2.0/serving-endpoints/{name}/payload-logs", { params: { path: { name }, query }, signal }),
  ) as Promise<PayloadLogsPage>;
}

/** One page of the configs the endpoint has served, newest first (Edgeserve's extension; CAN_MANAGE). */
export function listConfigVersions(
  name: string,
  options: { pageToken?: string; pageSize?: number },
  signal?: AbortSignal,
): Promise<ConfigVersionsPage> {
  const query = {
    ...(options.pageSize ? { page_size: String(options.pageSize) } : {}),
    ...(options.pageToken ? { page_token: options.pageToken } : {}),
  };
  return sdkCall(
    client().GET("/api/2.0/serving-endpoints/{name}/config-versions", { params: { path: { name }, query }, signal }),
  ) as Promise<ConfigVersionsPage>;
}

export async function deleteEndpoint(name: string): Promise<void> {
  await sdkCall(client().DELETE("/api/2.0/serving-endpoints/{name}", { params: { path: { name } } }));
}

/** Queries the endpoint (POST /serving-endpoints/{name}/invocations) with any JSON body; the answer as JSON. */
export function queryEndpoint(name: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  return sdkCall(
    client().POST("/serving-endpoints/{name}/invocations", {
      params: { path: { name } },
      // The body is the user's own JSON: the API validates it and answers with its own message.
      body: body as never,
      signal,
    }),
  );
}

export async function createEndpoint(body: unknown): Promise<EndpointDetailed> {
  return (await sdkCall(client().POST("/api/2.0/serving-endpoints", { body: body as never }))) as EndpointDetailed;
}

export async function updateConfig(name: string, config: unknown): Promise<EndpointDetailed> {
  const request = client().PUT("/api/2.0/serving-endpoints/{name}/config", {
    params: { path: { name } },
    body: config as never,
  });
  return (await sdkCall(request)) as EndpointDetailed;
}

export async function putAiGateway(name: string, aiGateway: unknown): Promise<void> {
  await sdkCall(
    client().PUT("/api/2.0/serving-endpoints/{name}/ai-gateway", {
      params: { path: { name } },
      body: aiGateway as never,
    }),
  );
}
