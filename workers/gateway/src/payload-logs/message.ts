import type { PayloadLogRecord } from "@edgeserve/api";

/** Queue messages are capped at 128 KB; records whose JSON is larger are staged in R2 and sent as a pointer. */
export const MAX_INLINE_RECORD_BYTES = 100 * 1024;

/** R2 prefix of every payload-log object. */
export const PAYLOAD_LOG_PREFIX = "payload-logs/";
/** Where oversized records wait for the consumer (which inlines, then deletes them). */
export const STAGING_PREFIX = `${PAYLOAD_LOG_PREFIX}_staged/`;

/** One message of queue `edgeserve-payload-logs`: a record, or where in R2 it was staged. */
export type PayloadLogMessage =
  | { endpoint: string; record: PayloadLogRecord }
  | { endpoint: string; staged: { key: string; request_date: string; timestamp_ms: number; databricks_request_id: string } };
