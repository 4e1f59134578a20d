import { MAX_LOGGED_PAYLOAD_BYTES } from "@edgeserve/api";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { maskRefusedRequest } from "../guardrails/mask-refused-request";
import { buildPayloadRecord } from "./build-record";
import { knownBodyText } from "../http/known-body-text";
import { readStreamText } from "../http/stream-text-tap";
import { type CapturedBody, captureBody, capturedText, captureText, readCapped } from "./capture-body";
import { enqueuePayloadLog } from "./enqueue";
import { payloadTableConfig } from "./settings";

/**
 * Middleware on the query routes: logs each query that reached answerQuery (the `query` variable,
 * serving/query.ts) on an endpoint with `inference_table_config` (or legacy `auto_capture_config`) enabled.
 * The request logged is what was sent on; a query refused before that is logged with PII masked whenever
 * the endpoint's input `pii` guardrail is set (maskRefusedRequest). Runs after the route and the app's
 * onError, so thrown ApiErrors are logged with the status and error body the client got. A stream is copied
 * as it goes to the client (no added latency) and the record is enqueued once it ends or is cancelled; any
 * other body is read from a clone in waitUntil.
 */
export function payloadLogging(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const query = c.get("query");
    if (!query?.answering) return;
    const { endpoint, answering } = query;
    if (!payloadTableConfig(endpoint.row, endpoint.config)) return;
    const requestBody = query.sent ?? maskRefusedRequest(endpoint, answering.received);
    const response = c.res;
    const log = (captured: CapturedBody) => {
      const record = buildPayloadRecord({
        requestId: query.requestId,
        endpointName: endpoint.row.name,
        requestBody,
        requester: query.principal.name,
        servedEntity: query.answeredBy ?? null,
        ...(query.failedAttempts && { failedAttempts: query.failedAttempts }),
        statusCode: response.status,
        startedAt: answering.startedAt,
        finishedAt: Date.now(),
        response: captured,
      });
      return enqueuePayloadLog(c.env, endpoint.row.id, record, (promise) => c.executionCtx.waitUntil(promise));
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
    // record says the stream was incomplete. One the gateway writes as text is copied from that text.
    let ended!: (captured: CapturedBody) => void;
    c.executionCtx.waitUntil(new Promise<CapturedBody>((resolve) => (ended = resolve)).then(log));
    if (readStreamText(response, captureText(MAX_LOGGED_PAYLOAD_BYTES, ended))) return;
    c.res = new Response(captureBody(response.body, MAX_LOGGED_PAYLOAD_BYTES, ended), response);
  };
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
}
