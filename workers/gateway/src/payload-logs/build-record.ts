import { MAX_LOGGED_PAYLOAD_BYTES, type PayloadLogRecord, type PayloadLoggingErrorCode } from "@edgeserve/api";
import type { FailedAttempt } from "../serving/query";
import type { CapturedBody } from "./capture-body";

/** What the query path knows about one query once its response has ended. */
export interface FinishedQuery {
  requestId: string;
  endpointName: string;
  /** The JSON body the query path received. */
  requestBody: Record<string, unknown>;
  requester: string;
  servedEntity: string | null;
  /** After a fallback (serving/fallback/): every attempt that failed, in order. */
  failedAttempts?: readonly FailedAttempt[];
  statusCode: number;
  startedAt: number;
  finishedAt: number;
  response: CapturedBody;
}

/** The UTC date of an epoch-ms time, YYYY-MM-DD: the partition a record is written to. */
export function utcDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** One payload-table row. Over-1-MiB bodies become null with a logging error code, never a truncated string. */
export function buildPayloadRecord(query: FinishedQuery): PayloadLogRecord {
  const codes: PayloadLoggingErrorCode[] = [];
  let request: string | null = JSON.stringify(query.requestBody);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only a body that might be over the cap is encoded to measure it.
  if (
    3 * request.length > MAX_LOGGED_PAYLOAD_BYTES &&
    new TextEncoder().encode(request).byteLength > MAX_LOGGED_PAYLOAD_BYTES
  ) {
    request = null;
    codes.push("MAX_REQUEST_SIZE_EXCEEDED");
  }
  if (query.response.tooLarge) codes.push("MAX_RESPONSE_SIZE_EXCEEDED");
  if (!query.response.complete) codes.push("RESPONSE_STREAM_INCOMPLETE");
  const clientRequestId = query.requestBody.client_request_id;
  return {
    databricks_request_id: query.requestId,
    client_request_id: typeof clientRequestId === "string" ? clientRequestId : null,
    request_date: utcDate(query.startedAt),
    request_time: new Date(query.startedAt).toISOString(),
    timestamp_ms: query.startedAt,
    status_code: query.statusCode,
    sampling_fraction: 1,
    execution_duration_ms: Math.max(0, query.finishedAt - query.startedAt),
    request,
    response: query.response.text,
    served_entity_id: query.servedEntity,
    logging_error_codes: codes,
    requester: query.requester,
    request_metadata: {
      endpoint_name: query.endpointName,
      ...(query.servedEntity ? { served_entity_name: query.servedEntity } : {}),
    },
    ...(query.failedAttempts && {
      failed_attempts: query.failedAttempts.map((a) => ({
        served_entity_name: a.entity,
        status_code: a.status,
        error_code: a.errorCode,
      })),
    }),
  };
}
