import { z } from "zod";

/** Requests and responses over this many bytes are logged as null with a logging error code, as on Databricks. */
export const MAX_LOGGED_PAYLOAD_BYTES = 1024 * 1024;
const MAX_PAYLOAD_LOG_RESULTS = 1000;
export const DEFAULT_PAYLOAD_LOG_RESULTS = 100;
/**
 * A search (request_id, status or text) opens at most this many stored objects per call: the page holds the
 * matches found so far (maybe none) and next_page_token goes on from there, so a rare match costs more calls,
 * never an unbounded one.
 */
export const MAX_PAYLOAD_LOG_SEARCH_OBJECTS = 50;
const MAX_PAYLOAD_LOG_SEARCH_TEXT = 200;
/** One read spans at most this many days, so a call reads a bounded number of date partitions. */
export const MAX_PAYLOAD_LOG_RANGE_DAYS = 31;

const payloadLoggingErrorCode = z.enum([
  "MAX_REQUEST_SIZE_EXCEEDED",
  "MAX_RESPONSE_SIZE_EXCEEDED",
  "RESPONSE_STREAM_INCOMPLETE",
]);
export type PayloadLoggingErrorCode = z.infer<typeof payloadLoggingErrorCode>;

/**
 * One row of the payload (inference) table, with the column names of Databricks' AI Gateway
 * inference tables, plus the legacy table's `timestamp_ms` and `request_metadata`.
 */
export const payloadLogRecord = z.strictObject({
  databricks_request_id: z.string(),
  client_request_id: z.string().nullable(),
  /** UTC date of the request, YYYY-MM-DD (the partition). */
  request_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** ISO-8601 UTC time the request arrived. */
  request_time: z.string(),
  timestamp_ms: z.number().int(),
  status_code: z.number().int(),
  /** Every request is logged (no down-sampling). */
  sampling_fraction: z.number(),
  execution_duration_ms: z.number().int(),
  /** The JSON request body as a string; null when over 1 MiB (see logging_error_codes). */
  request: z.string().nullable(),
  /** The response body (JSON, or the SSE text of a stream); null when over 1 MiB. */
  response: z.string().nullable(),
  /** The served entity that answered; null when the query failed before one was picked. */
  served_entity_id: z.string().nullable(),
  logging_error_codes: z.array(payloadLoggingErrorCode),
  /** user_name or service principal application_id of the caller. */
  requester: z.string(),
  request_metadata: z.record(z.string(), z.string()),
  /**
   * Edgeserve extension, only on queries that fell back (`ai_gateway.fallback_config`): every served entity
   * whose attempt failed, in order, with how (when all failed, the last one too).
   */
  failed_attempts: z
    .array(z.strictObject({ served_entity_name: z.string(), status_code: z.number().int(), error_code: z.string() }))
    .optional(),
});
export type PayloadLogRecord = z.infer<typeof payloadLogRecord>;

const epochMs = (field: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${field} must be epoch milliseconds (a non-negative integer)`)
    .transform(Number);

/** GET /api/2.0/serving-endpoints/{name}/payload-logs query string. */
export const listPayloadLogsQuery = z
  .strictObject({
    start_time: epochMs("start_time"),
    /** Exclusive; defaults to now. */
    end_time: epochMs("end_time").optional(),
    max_results: z
      .string()
      .regex(/^\d{1,4}$/, "max_results must be an integer")
      .transform(Number)
      .pipe(
        z.number().int().min(1).max(MAX_PAYLOAD_LOG_RESULTS, `max_results must be at most ${MAX_PAYLOAD_LOG_RESULTS}`),
      )
      .optional(),
    page_token: z.string().min(1).max(512).optional(),
    /** Edgeserve extension (search): only the record whose databricks_request_id or client_request_id is this. */
    request_id: z.string().min(1).max(256).optional(),
    /** Edgeserve extension (search): `success` (status below 400) or `error` (400 and above). */
    status: z.enum(["success", "error"], "status must be success or error").optional(),
    /** Edgeserve extension (search): text found, ignoring case, in the request, the response or the requester. */
    text: z
      .string()
      .min(1)
      .max(MAX_PAYLOAD_LOG_SEARCH_TEXT, `text may be at most ${MAX_PAYLOAD_LOG_SEARCH_TEXT} characters`)
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.end_time === undefined) return;
    if (q.end_time <= q.start_time)
      ctx.addIssue({ code: "custom", path: ["end_time"], message: "end_time must be after start_time" });
    else if (q.end_time - q.start_time > MAX_PAYLOAD_LOG_RANGE_DAYS * 86_400_000)
      ctx.addIssue({
        code: "custom",
        path: ["end_time"],
        message: `the range may span at most ${MAX_PAYLOAD_LOG_RANGE_DAYS} days`,
      });
  });

export const listPayloadLogsResponse = z.strictObject({
  payload_logs: z.array(payloadLogRecord),
  /** Pass as page_token (with the same range) for the next page; absent on the last page. */
  next_page_token: z.string().optional(),
});
export type ListPayloadLogsResponse = z.infer<typeof listPayloadLogsResponse>;

/** `auto_capture_config.state.payload_table` in an endpoint's GET (legacy inference tables). */
export const payloadTable = z.strictObject({ name: z.string(), status: z.string(), status_message: z.string() });
