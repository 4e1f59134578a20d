import { MAX_LOGGED_PAYLOAD_BYTES } from "@edgeserve/api";
import type { Context, MiddlewareHandler } from "hono";
import type { LiveEndpoint } from "../endpoints/cache";
import type { AppEnv } from "../env";
import { maskRefusedRequest } from "../guardrails/mask-refused-request";
import { buildPayloadRecord } from "./build-record";
import { knownBodyText } from "../http/known-body-text";
import { type CapturedBody, captureBody, capturedText, readCapped } from "./capture-body";
import { enqueuePayloadLog } from "./enqueue";
import { payloadTableConfig } from "./settings";

/** A query on an endpoint with payload logging on, noted by the query path for the middleware. */
export interface PayloadQuery {
  /** Logs are kept under the endpoint's id (a later endpoint may take its name); the name goes in the record. */
  endpointId: string;
  endpointName: string;
  /** The request as logged: what was sent on, or for a refused query what may be kept of it. */
  body: Record<string, unknown>;
  requester: string;
  startedAt: number;
}

/** What the query path knows of a query's body when it ends. */
export interface QueryBodies {
  received: Record<string, unknown>;
  /** What was sent on to the model (PII masked by the input guardrails); unset if the query was refused first. */
  sent?: Record<string, unknown>;
}

/**
 * Called once by the query path (answerQuery), when it is done, with the endpoint and the query's bodies:
 * marks the query for logging when the endpoint has `inference_table_config` (or legacy
 * `auto_capture_config`) enabled. The request logged is what was sent on; a query refused before that
 * is logged with PII masked whenever the endpoint's input `pii` guardrail is set (maskRefusedRequest).
 * The response itself, success or error, is captured by `payloadLogging()` around the route.
 */
export function capturePayload(c: Context<AppEnv>, endpoint: LiveEndpoint, bodies: QueryBodies, startedAt: number): void {
  if (!payloadTableConfig(endpoint.row, endpoint.config)) return;
  c.set("payloadQuery", {
    endpointId: endpoint.row.id,
    endpointName: endpoint.row.name,
    body: bodies.sent ?? maskRefusedRequest(endpoint, bodies.received),
    requester: c.get("principal").name,
    startedAt,
  });
}

/**
 * Middleware on the query routes. Runs after the route and the app's onError, so thrown ApiErrors
 * are logged with the status and error body the client got. A stream is copied as it goes to the client
 * (no added latency) and the record is enqueued once it ends or is cancelled; any other body is read
 * from a clone in waitUntil.
 */
export function payloadLogging(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const query = c.get("payloadQuery");
    if (!query) return;
    const response = c.res;
    const servedEntity = response.headers.get("served-model-name");
    const log = (captured: CapturedBody) => {
      const record = buildPayloadRecord({
        requestId: c.get("requestId"),
        endpointName: query.endpointName,
        requestBody: query.body,
        requester: query.requester,
        servedEntity,
        statusCode: response.status,
        startedAt: query.startedAt,
        finishedAt: Date.now(),
        response: captured,
      });
      return enqueuePayloadLog(c.env, query.endpointId, record, (promise) => c.executionCtx.waitUntil(promise));
    };
    if (!response.body) {
      c.executionCtx.waitUntil(log({ text: null, tooLarge: false, complete: true }));
      return;
    }
    const text = knownBodyText(response);
    if (text !== undefined) {
      // A whole answer built from text the gateway already held: logged from that text, nothing read twice.
      c.executionCtx.waitUntil(log(capturedText(text, MAX_LOGGED_PAYLOAD_BYTES)));
      return;
    }
    if (!isEventStream(response)) {
      // A whole answer (JSON, CSV…): the client gets the response as it is (no JS stream in between) and
      // a clone is read off the response path.
      c.executionCtx.waitUntil(readCapped(response.clone().body!, MAX_LOGGED_PAYLOAD_BYTES).then(log));
      return;
    }
    // A stream: copied as it goes to the client, so a client that leaves still cancels the upstream and the
    // record says the stream was incomplete.
    let ended!: (captured: CapturedBody) => void;
    c.executionCtx.waitUntil(new Promise<CapturedBody>((resolve) => (ended = resolve)).then(log));
    c.res = new Response(captureBody(response.body, MAX_LOGGED_PAYLOAD_BYTES, ended), response);
  };
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
}
