import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";

describe("ApiError", () => {
  it("keeps its cause for the logs and leaves it out of the response body", () => {
    const upstream = 'The provider \'openai\' answered HTTP 500: {"error":"pool exhausted at 10.0.0.7"}';
    const error = new ApiError("BAD_GATEWAY", "The provider 'openai' failed (HTTP 500).", {
      status: 502,
      cause: upstream,
    });
    expect(error.cause).toBe(upstream);
    expect(error.unhandled).toBe(false);
    expect(JSON.stringify(error.body("req-1"))).not.toContain("10.0.0.7");
    expect(JSON.stringify(error)).not.toContain("10.0.0.7");
  });

  it("has no cause unless given one", () => {
    expect("cause" in new ApiError("BAD_REQUEST", "bad")).toBe(false);
  });

  it("from(): an ApiError stays as it is; anything else is an unhandled 500 with the generic message", () => {
    const handled = new ApiError("RESOURCE_DOES_NOT_EXIST", "gone");
    expect(ApiError.from(handled)).toBe(handled);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const wrapped = ApiError.from(bug, "Internal error. Request id: r1");
    expect(wrapped).toMatchObject({
      code: "INTERNAL_ERROR",
      status: 500,
      unhandled: true,
      message: "Internal error. Request id: r1",
    });
    expect(wrapped.cause).toBe(bug);
    expect(wrapped.body()).toEqual({ error_code: "INTERNAL_ERROR", message: "Internal error. Request id: r1" });
  });
});
