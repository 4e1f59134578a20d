import { describe, expect, it } from "vitest";
import { invocationsUrl, servingEndpointBody } from "./build-serving-endpoint-request";

describe("invocationsUrl", () => {
  it("targets the remote endpoint's invocations route", () => {
    expect(invocationsUrl("https://dbc-1234.cloud.databricks.com/", "databricks-meta-llama-3-3-70b-instruct")).toBe(
      "https://dbc-1234.cloud.databricks.com/serving-endpoints/databricks-meta-llama-3-3-70b-instruct/invocations",
    );
  });
  it("refuses names that would leave the route", () => {
    expect(() => invocationsUrl("https://h", "a/../b")).toThrow(/not a serving endpoint name/);
  });
});

describe("servingEndpointBody", () => {
  it("drops what is ours and keeps extra_params for the remote endpoint", () => {
    const body = {
      model: "local-endpoint",
      messages: [{ role: "user", content: "hi" }],
      client_request_id: "r1",
      usage_context: { team: "a" },
      extra_params: { top_k: 3 },
      stream: true,
      stream_options: { include_usage: true },
    };
    expect(servingEndpointBody(body)).toEqual({
      messages: [{ role: "user", content: "hi" }],
      extra_params: { top_k: 3 },
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});
