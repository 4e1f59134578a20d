/**
 * The few gateway calls `edgeserve sql` makes, behind one small interface so the transport can change
 * in this one file (to @edgeserve/sdk once it exists) without touching the callers. The worker thread
 * builds its own client from `host` and `token` (functions do not cross threads).
 */
import type { UsageResponse, UsageRow } from "@edgeserve/api";

/** A raw answer: the retry policy needs the status and Retry-After, not an exception. */
export interface RawAnswer {
  status: number;
  retryAfter: string | null;
  body: unknown;
  text: string;
}

export interface EndpointSummary {
  name: string;
  /** llm/v1/chat, llm/v1/completions, llm/v1/embeddings, or undefined for custom models. */
  task?: string;
  state?: { ready?: string; config_update?: string };
  creator?: string;
  creation_timestamp?: number;
  config?: { served_entities?: ServedEntity[] };
}

export interface ServedEntity {
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
  usage(endpoint: string, groupBy: "user" | "served_entity" | "day"): Promise<UsageRow[]>;
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
  const base = host.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  async function send(method: string, path: string, body?: unknown): Promise<RawAnswer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: parsed, text };
  }

  async function json<T>(path: string): Promise<T> {
    const answer = await send("GET", path);
    if (answer.status >= 400) throw toGatewayError(answer);
    return answer.body as T;
  }

  return {
    invoke: (endpoint, body) => send("POST", `/serving-endpoints/${encodeURIComponent(endpoint)}/invocations`, body),
    getEndpoint: (name) => json(`/api/2.0/serving-endpoints/${encodeURIComponent(name)}`),
    listEndpoints: async () =>
      (await json<{ endpoints?: EndpointSummary[] }>("/api/2.0/serving-endpoints")).endpoints ?? [],
    usage: async (endpoint, groupBy) =>
      (
        await json<UsageResponse>(
          `/api/2.0/serving-endpoints/${encodeURIComponent(endpoint)}/usage?group_by=${groupBy}`,
        )
      ).usage,
    payloadLogs: async (endpoint, startMs, pageToken) => {
      const q = new URLSearchParams({ start_time: String(startMs), max_results: "1000" });
      if (pageToken) q.set("page_token", pageToken);
      const page = await json<{ payload_logs: unknown[]; next_page_token?: string }>(
        `/api/2.0/serving-endpoints/${encodeURIComponent(endpoint)}/payload-logs?${q}`,
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
