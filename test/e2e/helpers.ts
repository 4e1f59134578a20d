/** Shared helpers of the e2e tests: raw HTTP calls to the stack, endpoints backed by the mock, the mock's records. */
import crypto from "node:crypto";
import { relative, resolve } from "node:path";
import { expect, inject } from "vitest";
import { recordDroppedRequest } from "../dropped-requests-log.mjs";
import type { E2EContext } from "../global-setup";
import type { RecordedRequest } from "../mocks/openai-compatible-upstream";

const repoRoot = resolve(import.meta.dirname, "../..");

export function e2e(): E2EContext {
  return inject("e2e");
}

/** A name no other test (or run) uses: keeps tests independent on the shared stack. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(5).toString("hex")}`;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it was not JSON. */
  body: T;
}

export interface ApiOptions {
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
}

/**
 * What wrangler dev's own proxy (not Edgeserve) answers when its fetch to the worker's runtime fails at the
 * network level: it resends GET and HEAD itself (silently) and answers this 503 to anything else. Despite
 * the words, the runtime need not have restarted: the proxy (wrangler 4.86, templates/startDevWorker/
 * ProxyWorker.ts) compares the request's URL, path included, with the runtime's bare URL, which never
 * match, so every such failure takes this branch. Seen on the request right after a model load blocked
 * the workerd thread for seconds, and when the machine is heavily loaded.
 */
const WRANGLER_PROXY_DROPPED = "Your worker restarted mid-request";

/**
 * Whether a request wrangler dev dropped may be sent again: only if a second attempt leaves the stack as
 * one attempt would, in case the first did reach the gateway (idempotent, RFC 9110 §9.2.2). GET, HEAD and
 * OPTIONS change nothing. DELETE removes what a first attempt already removed (the second then answers
 * 404, which fails a test that expected 200: nothing is hidden). PUT replaces a whole resource
 * (permissions, ai-gateway, rate limits, a SCIM user or group, an artifact's bytes), except
 * PUT …/serving-endpoints/{name}/config, which starts a new config version each time. POST (creates,
 * tokens, queries: each query is a usage record and a rate-limit charge) and PATCH (merges, additions)
 * are not: done twice is not done once, and no route here takes an idempotency key that would say so.
 * One POST is resent after a check (`leftNothing`): an endpoint create, once a GET shows no endpoint of
 * its name exists, i.e. the first attempt created nothing.
 */
export function resendable(method: string, path: string): boolean {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
    case "OPTIONS":
    case "DELETE":
      return true;
    case "PUT":
      return !/^\/api\/2\.0\/serving-endpoints\/[^/]+\/config$/.test(path.split("?")[0]!);
    default:
      return false;
  }
}

/**
 * Calls the gateway like curl would. `token: null` sends no Authorization header. A request wrangler dev's
 * proxy dropped is sent once more if it is idempotent (`resendable`), with a warning, and counted in the
 * run's report (test/dropped-requests-log.mjs); any other fails its test, saying so.
 */
export async function api<T = any>(method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  return sendResendingIdempotent<T>(e2e().url, e2e().droppedRequestsLog, method, path, options);
}

/** `api()` against any base URL, recording dropped requests in `log`. */
export async function sendResendingIdempotent<T = any>(
  baseUrl: string,
  log: string,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  let first: ApiResponse<T>;
  try {
    first = await send<T>(baseUrl, method, path, options);
  } catch (error) {
    // A kept-alive connection the server closed just as this request went out ("other side closed"): the
    // request never reached the gateway. Sent once more when that is safe, as a dropped request is.
    if (!isClosedConnection(error) || !resendable(method, path)) throw error;
    recordDroppedRequest(log, { method, path, test: currentTest(), resent: true });
    console.warn(`the connection closed under ${method} ${path}; sending it again (idempotent)`);
    return send<T>(baseUrl, method, path, options);
  }
  if (first.status !== 503 || !first.text.startsWith(WRANGLER_PROXY_DROPPED)) return first;
  const why = resendable(method, path)
    ? "idempotent"
    : (await leftNothing(baseUrl, method, path, options))
      ? "its first attempt created nothing"
      : null;
  const resent = why !== null;
  recordDroppedRequest(log, { method, path, test: currentTest(), resent });
  if (!resent)
    throw new Error(
      `wrangler dev dropped ${method} ${path} ("${first.text}"), and it is not sent again: a ` +
        `${method} is not idempotent, so a second attempt could do twice what the first may have done. ` +
        `wrangler's proxy lost its connection to the runtime (see .edgeserve/e2e-wrangler.log).`,
    );
  console.warn(
    `wrangler dev dropped ${method} ${path} (${first.text.slice(0, 60)}…); ` +
      `sending it again (${why}; counted in the run's report)`,
  );
  return send<T>(baseUrl, method, path, options);
}

/** undici's error for a request written to a connection the server had closed (keep-alive race). */
function isClosedConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return error instanceof TypeError && cause?.code === "UND_ERR_SOCKET";
}

/**
 * Whether a dropped POST /api/2.0/serving-endpoints (a create; its names are unique per test) provably left
 * nothing behind: no endpoint of its name exists. Then sending it again is its only attempt.
 */
async function leftNothing(baseUrl: string, method: string, path: string, options: ApiOptions): Promise<boolean> {
  if (method.toUpperCase() !== "POST" || path !== "/api/2.0/serving-endpoints") return false;
  const name = (
    typeof options.body === "string" ? JSON.parse(options.body) : (options.body as { name?: unknown } | undefined)
  )?.name;
  if (typeof name !== "string") return false;
  return (await send(baseUrl, "GET", `/api/2.0/serving-endpoints/${encodeURIComponent(name)}`, {})).status === 404;
}

function currentTest(): string {
  const { testPath, currentTestName } = expect.getState();
  return `${testPath ? relative(repoRoot, testPath) : "?"} > ${currentTestName ?? "(a hook)"}`;
}

async function send<T>(
  baseUrl: string,
  method: string,
  path: string,
  { body, token = e2e().adminToken, headers = {} }: ApiOptions,
): Promise<ApiResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts a 2xx and returns the body; the message shows the gateway's error otherwise. */
export async function ok<T = any>(response: Promise<ApiResponse<T>>): Promise<T> {
  const r = await response;
  expect(r.status, `${r.status} ${r.text}`).toBeGreaterThanOrEqual(200);
  expect(r.status, `${r.status} ${r.text}`).toBeLessThan(300);
  return r.body;
}

/** Makes the mock accept one more credential, e.g. `{header: "authorization", value: "Bearer sk-…"}`. */
export async function mockAccepts(header: string, value: string): Promise<void> {
  const res = await fetch(`${e2e().mockUrl}/__mock/credentials`, {
    method: "POST",
    body: JSON.stringify({ header, value }),
  });
  expect(res.status).toBe(200);
}

/** What the mock received, filtered by the upstream model name and/or a credential substring. */
export async function mockRequests(filter: { model?: string; token?: string }): Promise<RecordedRequest[]> {
  const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(`${e2e().mockUrl}/__mock/requests?${q}`);
  return ((await res.json()) as { requests: RecordedRequest[] }).requests;
}

export type Task = "llm/v1/chat" | "llm/v1/completions" | "llm/v1/embeddings";

export interface MockEndpoint {
  name: string;
  /** The external model's name: what the mock sees as `model`. */
  model: string;
  /** The bearer token the endpoint holds for the mock (sent as token_plaintext). */
  upstreamToken: string;
}

/**
 * The `config` of an endpoint serving one external model of provider `custom` that points at the mock (or `baseUrl`).
 */
export function customModelConfig(model: string, task: Task, auth: Record<string, unknown>, baseUrl = e2e().mockUrl) {
  return {
    served_entities: [
      {
        name: "mock",
        external_model: {
          name: model,
          provider: "custom",
          task,
          custom_provider_config: { custom_provider_url: `${baseUrl}/v1`, ...auth },
        },
      },
    ],
  };
}

/**
 * Creates an endpoint whose one served entity is an external model on the mock (provider custom,
 * bearer auth with a fresh plaintext token the mock accepts) and waits until it is ready.
 */
export async function createMockEndpoint(
  task: Task = "llm/v1/chat",
  {
    prefix = "e2e",
    model = uniqueName("mock-model"),
    wait = true,
  }: { prefix?: string; model?: string; wait?: boolean } = {},
): Promise<MockEndpoint> {
  const name = uniqueName(prefix);
  const upstreamToken = `sk-${crypto.randomBytes(16).toString("hex")}`;
  await mockAccepts("authorization", `Bearer ${upstreamToken}`);
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: { name, config: customModelConfig(model, task, { bearer_token_auth: { token_plaintext: upstreamToken } }) },
    }),
  );
  if (wait) await waitUntilReady(name);
  return { name, model, upstreamToken };
}

/** Polls GET until `state.ready == READY` and `state.config_update == NOT_UPDATING` (deploys go through a queue). */
export async function waitUntilReady(name: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: ApiResponse | undefined;
  while (Date.now() < deadline) {
    last = await api("GET", `/api/2.0/serving-endpoints/${name}`);
    const state = last.body?.state;
    if (last.status === 200 && state?.ready === "READY" && state?.config_update === "NOT_UPDATING") return last.body;
    if (state?.config_update === "UPDATE_FAILED" || state?.config_update === "UPDATE_CANCELED")
      throw new Error(`endpoint ${name} failed to deploy: ${last.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `endpoint ${name} was not ready within ${timeoutMs / 1000}s; last GET: ${last?.status} ${last?.text}`,
  );
}

/** Polls GET until the deployment is over (`config_update` leaves IN_PROGRESS), READY or not. */
export async function waitUntilSettled(name: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: ApiResponse | undefined;
  while (Date.now() < deadline) {
    last = await api("GET", `/api/2.0/serving-endpoints/${name}`);
    if (last.status === 200 && last.body?.state?.config_update !== "IN_PROGRESS") return last.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `endpoint ${name} was still deploying after ${timeoutMs / 1000}s; last GET: ${last?.status} ${last?.text}`,
  );
}

/** Parses an SSE body into its `data:` payloads (JSON parsed, except `[DONE]`). */
export function sseData(text: string): unknown[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n"),
    )
    .filter((data) => data !== "")
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}
