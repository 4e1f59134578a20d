import type { PayloadLogRecord } from "@edgeserve/api";
import type { Env } from "../env";
import { jsonBytesAtMost } from "./json-size-bound";
import { MAX_INLINE_RECORD_BYTES, type PayloadLogMessage, STAGING_PREFIX } from "./message";

const SEND_ATTEMPTS = 3;

/** The queue message for a record: inline when small enough, else staged in R2 first and sent as a pointer. */
export async function payloadLogMessage(bucket: R2Bucket, endpoint: string, record: PayloadLogRecord): Promise<PayloadLogMessage> {
  // Most records are far below the cap: skip serialising them just to measure (the queue serialises them anyway).
  if (jsonBytesAtMost(record) <= MAX_INLINE_RECORD_BYTES) return { endpoint, record };
  const json = JSON.stringify(record);
  if (new TextEncoder().encode(json).byteLength <= MAX_INLINE_RECORD_BYTES) return { endpoint, record };
  const key = `${STAGING_PREFIX}${record.timestamp_ms}-${record.databricks_request_id}-${crypto.randomUUID()}.json`;
  await bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
  return {
    endpoint,
    staged: { key, request_date: record.request_date, timestamp_ms: record.timestamp_ms, databricks_request_id: record.databricks_request_id },
  };
}

/**
 * Hands a record to the payload-log queue, off the response path. A failed send is retried a few
 * times; if the queue stays unreachable the loss is reported (without the payload) rather than hidden.
 */
export async function enqueuePayloadLog(env: Env, endpoint: string, record: PayloadLogRecord): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await env.PAYLOAD_LOGS.send(await payloadLogMessage(env.ARTIFACTS, endpoint, record), { contentType: "json" });
      return;
    } catch (error) {
      if (attempt >= SEND_ATTEMPTS) {
        console.error(JSON.stringify({ level: "error", msg: "payload log not enqueued", endpoint, requestId: record.databricks_request_id, error: error instanceof Error ? error.name : "unknown" }));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
