/**
 * The few gateway calls `edgeserve sql` makes, through the typed SDK (@edgeserve/sdk, as the CLI), behind one
 * small interface the rest of the package and its tests use. The worker thread builds its own client from
 * `host` and `token` (functions do not cross threads).
 */
import { ApiError, createEdgeserveClient, unwrap } from "@edgeserve/sdk";
import type { UsageRecord } from "@edgeserve/api";

/** A raw answer: the retry policy needs the status and Retry-After, not an exception. */
export interface RawAnswer {
  status: number;
  retryAfter: string | null;
  body: unknown;
  text: string;
}

interface EndpointSummary {
  name: string;
  /** llm/v1/chat, llm/v1/completions, llm/v1/embeddings, or undefined for custom models. */
  task?: string;
  state?: { ready?: string; config_update?: string };
  creator?: string;
  creation_timestamp?: number;
  config?: { served_entities?: ServedEntity[] };
}

interface ServedEntity {
  name: string;
  entity_name?: string;
  entity_version?: string;
  external_model?: { name: string; provider: string; task: string };
  foundation_model?: { name: string };
  workload_size?: string;
  scale_to_zero_enabled?: boolean;
  state?: { deployment?: string };
}

export interface GatewayClient {
  invoke(endpoint: string, body: Record<string, unknown>): Promise<RawAnswer>;
  getEndpoint(name: string): Promise<EndpointSummary>;
  listEndpoints(): Promise<EndpointSummary[]>;
  /** One page of the endpoint's usage records (the caller's own unless they manage it), last 30 days. */
  usageRecords(endpoint: string, pageToken?: string): Promise<{ records: UsageRecord[]; next?: string }>;
  payloadLogs(endpoint: string, startMs: number, pageToken?: string): Promise<{ records: unknown[]; next?: string }>;
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GatewayConfig {
  host: string;
  token: string;
}

export function createGatewayClient({ host, token }: GatewayConfig): GatewayClient {
  const client = createEdgeserveClient({ host, token, headers: { "User-Agent": "edgeserve-sql" } });
  const path = (name: string) => ({ params: { path: { name } } });

  return {
    // The retry policy needs the status and Retry-After of a refusal, so an ApiError becomes an answer here.
    invoke: async (endpoint, body) => {
      try {
        const { data, response } = await client.POST("/serving-endpoints/{name}/invocations", {
          ...path(endpoint),
          body: body as never,
        });
        return { status: response.status, retryAfter: null, body: data, text: "" };
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return {
          status: e.status,
          retryAfter: e.retryAfterSeconds !== undefined ? String(e.retryAfterSeconds) : null,
          body: { error_code: e.error_code, message: e.message },
          text: e.message,
        };
      }
    },
    getEndpoint: async (name) =>
      (await unwrap(client.GET("/api/2.0/serving-endpoints/{name}", path(name)))) as EndpointSummary,
    listEndpoints: async () =>
      ((await unwrap(client.GET("/api/2.0/serving-endpoints"))).endpoints ?? []) as EndpointSummary[],
    usageRecords: async (endpoint, pageToken) => {
      const page = await unwrap(
        client.GET("/api/2.0/serving-endpoints/{name}/usage/records", {
          params: {
            path: { name: endpoint },
            query: { max_results: "1000", ...(pageToken ? { page_token: pageToken } : {}) },
          },
        }),
      );
      return { records: page.usage_records, ...(page.next_page_token ? { next: page.next_page_token } : {}) };
    },
    payloadLogs: async (endpoint, startMs, pageToken) => {
      const page = await unwrap(
        client.GET("/api/2.0/serving-endpoints/{name}/payload-logs", {
          params: {
            path: { name: endpoint },
            query: {
              start_time: String(startMs),
              max_results: "1000",
              ...(pageToken ? { page_token: pageToken } : {}),
            },
          },
        }),
      );
      return { records: page.payload_logs, ...(page.next_page_token ? { next: page.next_page_token } : {}) };
    },
  };
}

/** The gateway's `{error_code, message}` as an error; anything else by its status. */
export function toGatewayError(answer: RawAnswer): GatewayError {
  const body = answer.body as { error_code?: unknown; message?: unknown } | undefined;
  const code = typeof body?.error_code === "string" ? body.error_code : `HTTP_${answer.status}`;
  const message =
    typeof body?.message === "string" ? body.message : answer.text.slice(0, 300) || `HTTP ${answer.status}`;
  return new GatewayError(answer.status, code, message);
}
