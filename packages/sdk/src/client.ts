import createClient, { type Client, type Middleware } from "openapi-fetch";
import { ApiError } from "./api-error";
import type { paths } from "./schema.gen";

export type EdgeserveClient = Client<paths>;

export interface ClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787` or `https://edgeserve.example.workers.dev`. */
  host: string;
  /** A personal access token (`dapi…`); omitted in a browser that authenticates by cookie. */
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies, a Worker's service binding). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/**
 * A typed client of the whole API: `client.GET("/api/2.0/serving-endpoints/{name}", {params: {path: {name}}})`.
 * Paths, parameters, bodies and answers are typed from the OpenAPI document (schema.gen.ts). Every answer that
 * is not 2xx is thrown as an `ApiError`, so `data` is always the success body; `unwrap()` narrows its type.
 */
export function createEdgeserveClient(options: ClientOptions): EdgeserveClient {
  const client = createClient<paths>({
    baseUrl: options.host.replace(/\/+$/, ""),
    headers: {
      ...options.headers,
      ...(options.token !== undefined && { Authorization: `Bearer ${options.token}` }),
    },
    // Late-bound so that a fetch replaced after the client was made (tests, polyfills) is the one used.
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
  });
  client.use(throwApiErrors);
  return client;
}

const throwApiErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await ApiError.fromResponse(response);
    return undefined;
  },
};

type CallResult = { data?: unknown; error?: unknown; response: Response };

/**
 * The success body of a call, typed without `undefined`:
 * `const endpoint = await unwrap(client.GET("/api/2.0/serving-endpoints/{name}", …))`.
 */
export async function unwrap<R extends CallResult>(call: Promise<R>): Promise<Exclude<R["data"], undefined>> {
  const result = await call;
  if (result.error !== undefined || !result.response.ok) {
    throw ApiError.fromBody(result.response.status, result.error);
  }
  // A 2xx with an empty body (204, Content-Length: 0) is the empty object the API documents for it.
  return (result.data ?? {}) as Exclude<R["data"], undefined>;
}
