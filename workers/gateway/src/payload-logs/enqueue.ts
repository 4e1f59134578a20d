import type { PayloadLogRecord } from "@edgeserve/api";
import type { Env } from "../env";
import { type BatchedMessage, queueBatcher } from "../queues/queue-batcher";
import { jsonBytesAtMost } from "./json-size-bound";
import { MAX_INLINE_RECORD_BYTES, type PayloadLogMessage } from "./message";
import { endpointStagingPrefix } from "./object-key";

type WaitUntil = (promise: Promise<unknown>) => void;

/** Room for the message's `endpointId` field around an inline record. */
const MESSAGE_OVERHEAD_BYTES = 1024;

/**
 * The queue message for a record, with an upper bound of its size: inline when small enough, else staged
 * in R2 first and sent as a pointer.
 */
export async function payloadLogMessage(
  bucket: R2Bucket,
  endpointId: string,
  record: PayloadLogRecord,
): Promise<BatchedMessage<PayloadLogMessage>> {
  // Most records are far below the cap: skip serialising them just to measure (the queue serialises them anyway).
  const bound = jsonBytesAtMost(record);
  if (bound <= MAX_INLINE_RECORD_BYTES) return { body: { endpointId, record }, bytes: bound + MESSAGE_OVERHEAD_BYTES };
  const json = JSON.stringify(record);
  const bytes = new TextEncoder().encode(json).byteLength;
  if (bytes <= MAX_INLINE_RECORD_BYTES) return { body: { endpointId, record }, bytes: bytes + MESSAGE_OVERHEAD_BYTES };
  const name = `${record.timestamp_ms}-${record.databricks_request_id}-${crypto.randomUUID()}.json`;
  const key = `${endpointStagingPrefix(endpointId)}${name}`;
  await bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
  return {
    body: {
      endpointId,
      staged: {
        key,
        request_date: record.request_date,
        timestamp_ms: record.timestamp_ms,
        databricks_request_id: record.databricks_request_id,
      },
    },
    bytes: MESSAGE_OVERHEAD_BYTES,
  };
}

/** If the queue stays unreachable the loss is reported (without the payload) rather than hidden. */
function logUndelivered(messages: PayloadLogMessage[], error: unknown): void {
  for (const message of messages) {
    const requestId = "record" in message ? message.record.databricks_request_id : message.staged.databricks_request_id;
    console.error(
      JSON.stringify({
        level: "error",
        msg: "payload log not enqueued",
        endpointId: message.endpointId,
        requestId,
        error: error instanceof Error ? error.name : "unknown",
      }),
    );
  }
}

const PAYLOAD_LOG_BATCHING = {
  lingerMs: 5,
  attempts: 3,
  retryDelayMs: (retry: number) => 100 * 2 ** (retry - 1),
  onUndelivered: logUndelivered,
};

/**
 * Hands a record to the payload-log queue, off the response path, in the isolate's pending batch for the
 * queue (queue-batcher.ts). A failed send is retried a few times.
 */
export async function enqueuePayloadLog(
  env: Env,
  endpointId: string,
  record: PayloadLogRecord,
  waitUntil: WaitUntil,
): Promise<void> {
  const message = await payloadLogMessage(env.ARTIFACTS, endpointId, record);
  queueBatcher(env.PAYLOAD_LOGS, PAYLOAD_LOG_BATCHING).add([message], waitUntil);
}
