import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";

export const ADMIN_TOKEN = "dapi-test-admin-token";
/** Where the tests' requests are addressed (the gateway serves any host). */
const TEST_ORIGIN = "https://edgeserve.test";

/**
 * A request to the worker's fetch handler, called as the runtime calls it: with the bindings and an
 * execution context. What the handler leaves to waitUntil goes on after the response, as in production;
 * tests wait for its effects (vi.waitFor). `url` is absolute or a path on TEST_ORIGIN.
 */
export function fetchWorker(url: string, init?: RequestInit): Promise<Response> {
  const request = new Request(/^https?:/.test(url) ? url : `${TEST_ORIGIN}${url}`, init);
  return Promise.resolve(worker.fetch(request, env, createExecutionContext()));
}

/**
 * Calls the gateway like an HTTP client would (through the worker's fetch handler). `via` sends it to
 * another gateway isolate instead (env.PEER in *.two-isolates.test.ts).
 */
export async function call(
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string | null;
    headers?: Record<string, string>;
    via?: Fetcher;
    /** Aborting it is the client going away. */
    signal?: AbortSignal;
  } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const init = { method, headers, body, ...(options.signal && { signal: options.signal }) };
  const res = await (options.via ? options.via.fetch(`${TEST_ORIGIN}${path}`, init) : fetchWorker(path, init));
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** POSTs `body` to `path` and goes away (aborts the request) once `started` resolves: a client that disconnects. */
export async function callAndLeave(path: string, body: unknown, started: () => Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  const pending = call("POST", path, { body, signal: controller.signal }).catch((e: unknown) => e);
  await started();
  controller.abort();
  await pending;
}
