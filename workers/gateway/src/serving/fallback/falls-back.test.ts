import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { fallsBack } from "./falls-back";

describe("fallsBack", () => {
  it("falls back when the entity answered 429 or 5xx, could not be reached, timed out or failed unexpectedly", () => {
    for (const code of [
      "REQUEST_LIMIT_EXCEEDED",
      "BAD_GATEWAY",
      "TEMPORARILY_UNAVAILABLE",
      "DEADLINE_EXCEEDED",
      "INTERNAL_ERROR",
    ] as const)
      expect(fallsBack(new ApiError(code, "failed")), code).toBe(true);
    expect(fallsBack(ApiError.from(new TypeError("a bug")))).toBe(true);
    expect(fallsBack(new ApiError("BAD_GATEWAY", "credentials rejected", { status: 502 }))).toBe(true);
  });

  it("does not fall back on the query's own faults (4xx) or when the client went away (499)", () => {
    expect(fallsBack(new ApiError("INVALID_PARAMETER_VALUE", "bad body"))).toBe(false);
    expect(fallsBack(new ApiError("NOT_FOUND", "no such model"))).toBe(false);
    expect(fallsBack(new ApiError("ABORTED", "The client closed the request.", { status: 499 }))).toBe(false);
  });
});
