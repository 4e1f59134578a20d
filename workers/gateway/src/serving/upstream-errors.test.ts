import { describe, expect, it } from "vitest";
import { mapUpstreamError, upstreamMessage } from "./upstream-errors";

describe("upstreamMessage", () => {
  it("reads OpenAI, Databricks and plain-text error bodies", () => {
    expect(upstreamMessage('{"error":{"message":"bad model","type":"invalid_request_error"}}')).toBe("bad model");
    expect(upstreamMessage('{"error_code":"X","message":"nope"}')).toBe("nope");
    expect(upstreamMessage("Bad Gateway")).toBe("Bad Gateway");
    expect(upstreamMessage("")).toBe("no details");
  });
});

describe("mapUpstreamError", () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);
  it.each([
    [400, 400, "INVALID_PARAMETER_VALUE"],
    [404, 400, "INVALID_PARAMETER_VALUE"],
    [422, 400, "INVALID_PARAMETER_VALUE"],
    [401, 502, "BAD_GATEWAY"],
    [403, 502, "BAD_GATEWAY"],
    [429, 429, "REQUEST_LIMIT_EXCEEDED"],
    [408, 504, "DEADLINE_EXCEEDED"],
    [500, 502, "BAD_GATEWAY"],
    [503, 503, "TEMPORARILY_UNAVAILABLE"],
  ])("upstream %i → %i %s", (upstream, status, code) => {
    const error = mapUpstreamError(upstream, h(), '{"error":{"message":"m"}}', "custom");
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
  });
  it("says the endpoint's credentials were rejected without echoing the upstream body", () => {
    const error = mapUpstreamError(401, h(), '{"error":{"message":"Incorrect API key provided: sk-abc***"}}', "custom");
    expect(error.message).toContain("rejected the endpoint's credentials");
    expect(error.message).not.toContain("sk-abc");
  });
  it("keeps what the provider answered as the cause, for the logs", () => {
    const body = '{"error":{"message":"Incorrect API key provided: sk-abc***"}}';
    expect(mapUpstreamError(401, h(), body, "custom").cause).toBe(`The provider 'custom' answered HTTP 401: ${body}`);
    expect(mapUpstreamError(500, h(), "x".repeat(5000), "custom").cause).toBe(
      `The provider 'custom' answered HTTP 500: ${"x".repeat(2000)}`,
    );
  });
  it("passes Retry-After through on 429, defaulting to 1 second", () => {
    expect(mapUpstreamError(429, h({ "retry-after": "12" }), "", "custom").headers["Retry-After"]).toBe("12");
    expect(mapUpstreamError(429, h(), "", "custom").headers["Retry-After"]).toBe("1");
    expect(mapUpstreamError(429, h({ "retry-after": "0.2" }), "", "custom").headers["Retry-After"]).toBe("1");
  });
});
