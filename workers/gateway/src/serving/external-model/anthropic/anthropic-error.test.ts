import { describe, expect, it } from "vitest";
import { mapAnthropicError, mapAnthropicStreamError } from "./anthropic-error";

const body = (type: string, message: string) =>
  JSON.stringify({ type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" });

describe("mapAnthropicError", () => {
  it("keeps Anthropic's message for a 400", () => {
    const e = mapAnthropicError(400, new Headers(), body("invalid_request_error", "max_tokens: Field required"));
    expect(e.status).toBe(400);
    expect(e.message).toContain("max_tokens: Field required");
  });
  it("never blames the caller for a bad key, and never echoes it", () => {
    const e = mapAnthropicError(401, new Headers(), body("authentication_error", "invalid x-api-key"));
    expect(e.status).toBe(502);
    expect(e.message).toContain("rejected the endpoint's credentials");
  });
  it("maps 429 with Retry-After, 529 overloaded to 503, 500 to 502", () => {
    const limited = mapAnthropicError(
      429,
      new Headers({ "retry-after": "7" }),
      body("rate_limit_error", "Number of requests has exceeded your rate limit"),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers["Retry-After"]).toBe("7");
    expect(mapAnthropicError(529, new Headers(), body("overloaded_error", "Overloaded")).status).toBe(503);
    expect(mapAnthropicError(500, new Headers(), body("api_error", "Internal server error")).status).toBe(502);
  });
  it("maps an error event inside a stream by its type", () => {
    expect(mapAnthropicStreamError({ type: "rate_limit_error", message: "slow down" }).status).toBe(429);
    expect(mapAnthropicStreamError({ type: "api_error", message: "boom" }).status).toBe(502);
  });
});
