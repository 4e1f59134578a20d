import { MAX_LOGGED_PAYLOAD_BYTES, payloadLogRecord } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { type FinishedQuery, buildPayloadRecord, utcDate } from "./build-record";

const base: FinishedQuery = {
  requestId: "req-1",
  endpointName: "chat",
  requestBody: { messages: [{ role: "user", content: "hi" }], client_request_id: "my-id-7" },
  requester: "alice@example.com",
  servedEntity: "primary",
  statusCode: 200,
  startedAt: Date.UTC(2026, 10, 25, 23, 59, 59, 500),
  finishedAt: Date.UTC(2026, 10, 25, 23, 59, 59, 500) + 42,
  response: { text: '{"choices":[]}', tooLarge: false, complete: true },
};

describe("buildPayloadRecord", () => {
  it("fills the payload-table columns", () => {
    const record = buildPayloadRecord(base);
    expect(payloadLogRecord.parse(record)).toEqual(record);
    expect(record).toEqual({
      databricks_request_id: "req-1",
      client_request_id: "my-id-7",
      request_date: "2026-11-25",
      request_time: "2026-11-25T23:59:59.500Z",
      timestamp_ms: base.startedAt,
      status_code: 200,
      sampling_fraction: 1,
      execution_duration_ms: 42,
      request: JSON.stringify(base.requestBody),
      response: '{"choices":[]}',
      served_entity_id: "primary",
      logging_error_codes: [],
      requester: "alice@example.com",
      request_metadata: { endpoint_name: "chat", served_entity_name: "primary" },
    });
  });

  it("lists the attempts that failed before a fallback, only on queries that fell back", () => {
    const record = buildPayloadRecord({
      ...base,
      servedEntity: "backup",
      failedAttempts: [
        {
          entity: "primary",
          status: 503,
          errorCode: "TEMPORARILY_UNAVAILABLE",
          startedAt: base.startedAt,
          latencyMs: 5,
        },
      ],
    });
    expect(payloadLogRecord.parse(record)).toEqual(record);
    expect(record).toMatchObject({
      served_entity_id: "backup",
      failed_attempts: [{ served_entity_name: "primary", status_code: 503, error_code: "TEMPORARILY_UNAVAILABLE" }],
    });
    expect(buildPayloadRecord(base)).not.toHaveProperty("failed_attempts");
  });

  it("logs an over-1-MiB request as null with MAX_REQUEST_SIZE_EXCEEDED", () => {
    const record = buildPayloadRecord({ ...base, requestBody: { input: "x".repeat(MAX_LOGGED_PAYLOAD_BYTES) } });
    expect(record.request).toBeNull();
    expect(record.logging_error_codes).toEqual(["MAX_REQUEST_SIZE_EXCEEDED"]);
  });

  it("names a too-large or cut-short response in logging_error_codes", () => {
    expect(
      buildPayloadRecord({ ...base, response: { text: null, tooLarge: true, complete: true } }).logging_error_codes,
    ).toEqual(["MAX_RESPONSE_SIZE_EXCEEDED"]);
    expect(
      buildPayloadRecord({ ...base, response: { text: "data: {", tooLarge: false, complete: false } })
        .logging_error_codes,
    ).toEqual(["RESPONSE_STREAM_INCOMPLETE"]);
  });

  it("leaves client_request_id and the entity null when absent", () => {
    const record = buildPayloadRecord({
      ...base,
      requestBody: { client_request_id: 5 },
      servedEntity: null,
      statusCode: 429,
    });
    expect(record.client_request_id).toBeNull();
    expect(record.served_entity_id).toBeNull();
    expect(record.request_metadata).toEqual({ endpoint_name: "chat" });
  });

  it("partitions by UTC date", () => {
    expect(utcDate(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe("2026-01-01");
    expect(utcDate(Date.UTC(2025, 11, 31, 23, 59, 59, 999))).toBe("2025-12-31");
  });
});
