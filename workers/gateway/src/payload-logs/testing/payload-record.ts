import type { PayloadLogRecord } from "@edgeserve/api";
import { MAX_INLINE_RECORD_BYTES } from "../message";

/** A payload record as the query path builds it; `big` makes it too large for a queue message (it is staged). */
export function payloadRecord(endpointName: string, requestId: string, at: number, big = false): PayloadLogRecord {
  return {
    databricks_request_id: requestId,
    client_request_id: null,
    request_date: new Date(at).toISOString().slice(0, 10),
    request_time: new Date(at).toISOString(),
    timestamp_ms: at,
    status_code: 200,
    sampling_fraction: 1,
    execution_duration_ms: 3,
    request: JSON.stringify({ input: big ? "z".repeat(MAX_INLINE_RECORD_BYTES + 10) : requestId }),
    response: JSON.stringify({ predictions: [requestId] }),
    served_entity_id: "primary",
    logging_error_codes: [],
    requester: "alice@example.com",
    request_metadata: { endpoint_name: endpointName },
  };
}
