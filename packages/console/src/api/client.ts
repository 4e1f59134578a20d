import { ApiError, apiErrorOf } from "./api-error";
import { currentToken, setToken } from "./session";

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Another token than the session's (sign-in checks a token before keeping it). */
  token?: string;
}

/** `?a=1&b=x&b=y`; undefined and null values are left out, arrays repeat the key (as Databricks' APIs expect). */
export function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * Calls the gateway's REST API on this origin with the session's token and returns the parsed JSON.
 * Throws ApiError with the API's own error_code and message; a 401 with the session's token ends the session.
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const token = options.token ?? currentToken();
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path + queryString(options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: "omit",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK_ERROR", `Could not reach the gateway: ${e instanceof Error ? e.message : e}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const error = apiErrorOf(res.status, text, res.headers);
    if (res.status === 401 && !options.token) setToken(null);
    throw error;
  }
  return (text ? JSON.parse(text) : {}) as T;
}
