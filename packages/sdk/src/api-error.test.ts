import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";

describe("ApiError.fromBody", () => {
  it("keeps a Databricks error body's code, message, details and request id", () => {
    const body = JSON.stringify({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Endpoint with name 'x' not found",
      details: [{ "@type": "type.googleapis.com/google.rpc.RequestInfo", request_id: "req-1" }],
    });
    const error = ApiError.fromBody(404, body);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "ApiError", status: 404, error_code: "RESOURCE_DOES_NOT_EXIST" });
    expect(error.message).toBe("Endpoint with name 'x' not found");
    expect(error.requestId).toBe("req-1");
  });

  it("names a code from the status when the body is not a Databricks error (a proxy's HTML page)", () => {
    const error = ApiError.fromBody(502, "<html>Bad gateway</html>", 3);
    expect(error).toMatchObject({ status: 502, error_code: "BAD_GATEWAY", retryAfterSeconds: 3 });
    expect(error.message).toBe("HTTP 502: <html>Bad gateway</html>");
    expect(ApiError.fromBody(418, "").error_code).toBe("UNKNOWN");
  });

  it("reads Retry-After from a response", async () => {
    const response = new Response(JSON.stringify({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }), {
      status: 429,
      headers: { "Retry-After": "7" },
    });
    const error = await ApiError.fromResponse(response);
    expect(error).toMatchObject({ status: 429, error_code: "REQUEST_LIMIT_EXCEEDED", retryAfterSeconds: 7 });
  });
});
