import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { anthropicErrorFromResponse, anthropicErrorResponse, anthropicErrorTypeOfStatus } from "./anthropic-error-body";

describe("Anthropic error shape", () => {
  it("maps statuses to Anthropic's error types", () => {
    expect([400, 401, 403, 404, 413, 429, 500, 502, 503, 504].map(anthropicErrorTypeOfStatus)).toEqual([
      "invalid_request_error",
      "authentication_error",
      "permission_error",
      "not_found_error",
      "request_too_large",
      "rate_limit_error",
      "api_error",
      "api_error",
      "overloaded_error",
      "timeout_error",
    ]);
  });

  it("renders an ApiError with its status and Retry-After", async () => {
    const res = anthropicErrorResponse(
      new ApiError("REQUEST_LIMIT_EXCEEDED", "slow down", { headers: { "Retry-After": "2" } }),
      "req-1",
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
      request_id: "req-1",
    });
  });

  it("converts a Databricks error response", async () => {
    const res = await anthropicErrorFromResponse(
      Response.json({ error_code: "BAD_GATEWAY", message: "provider failed" }, { status: 502 }),
    );
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error", message: "provider failed" } });
  });
});
