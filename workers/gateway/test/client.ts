import { SELF } from "cloudflare:test";

export const ADMIN_TOKEN = "dapi-test-admin-token";

/**
 * Calls the gateway like an HTTP client would (through the worker's fetch handler). `via` sends it to
 * another gateway isolate instead (env.PEER in *.two-isolates.test.ts).
 */
export async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string>; via?: Fetcher } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await (options.via ?? SELF).fetch(`https://edgeserve.test${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
