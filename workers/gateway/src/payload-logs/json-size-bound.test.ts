import { describe, expect, it } from "vitest";
import { jsonBytesAtMost } from "./json-size-bound";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe("jsonBytesAtMost", () => {
  const cases: Record<string, unknown> = {
    "control characters (6 bytes each escaped)": "\u0000\u0001\u001f\n\t",
    "quotes and backslashes": '"\\"\\\\"',
    "three-byte characters": "日本語テキスト",
    "surrogate pairs (emoji)": "😀🎉👍",
    "a lone surrogate": "\ud800x",
    "a payload record": {
      databricks_request_id: "r-1",
      request: JSON.stringify({ messages: [{ role: "user", content: 'he said "hi"\n' }] }),
      response: null,
      timestamp_ms: 1764000000000,
      sampling_fraction: 1,
      logging_error_codes: ["MAX_RESPONSE_SIZE_EXCEEDED"],
      request_metadata: { endpoint_name: "chat", served_entity_name: "primary" },
      ok: true,
    },
    "long negative float": -1.2345678901234567e308,
    "nested arrays": [[1, [2, [null, "x"]]], {}],
  };
  for (const [name, value] of Object.entries(cases))
    it(`is never below the real size: ${name}`, () => {
      expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(bytes(value));
    });

  it("stays within a small factor of the real size for ordinary JSON text", () => {
    const record = { request: JSON.stringify({ messages: [{ role: "user", content: "x".repeat(1000) }] }) };
    expect(jsonBytesAtMost(record)).toBeLessThan(bytes(record) * 7);
  });
});
