import type { PayloadLogRecord } from "@edgeserve/api";

/** Queue messages are capped at 128 KB; records whose JSON is larger are staged in R2 and sent as a pointer. */
export const MAX_INLINE_RECORD_BYTES = 100 * 1024;

/** R2 prefix of every payload-log object. */
export const PAYLOAD_LOG_PREFIX = "payload-logs/";
/** Where oversized records wait for the consumer (which inlines, then deletes them), per endpoint id. */
export const STAGING_PREFIX = `${PAYLOAD_LOG_PREFIX}_staged/`;

/** Where a record too large for a queue message waits in R2. */
interface StagedRecord {
  key: string;
  request_date: string;
  timestamp_ms: number;
  databricks_request_id: string;
}

type RecordOrStaged = { record: PayloadLogRecord } | { staged: StagedRecord };

/**
 * One record of queue `edgeserve-payload-logs`, for the endpoint with id `endpointId` (never its name: a
 * name can be reused by a later endpoint, which must not see this one's records).
 */
export type PayloadLogMessage = { endpointId: string } & RecordOrStaged;

/** A record as versions before id-keyed logs sent it, under the endpoint's name; only read by the consumer. */
export type LegacyPayloadLogMessage = { endpoint: string } & RecordOrStaged;

/** Asks the consumer to delete a deleted endpoint's payload-log objects (purge.ts). */
export interface PayloadLogPurgeMessage {
  purge: { endpointId: string; finalSweep?: boolean };
}
