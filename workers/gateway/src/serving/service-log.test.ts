import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { serviceEventFor } from "./service-log";

describe("serviceEventFor", () => {
  it("logs upstream failures and throttling, not the caller's own mistakes", () => {
    expect(serviceEventFor("e", new ApiError("INVALID_PARAMETER_VALUE", "bad"))).toBeNull();
    expect(serviceEventFor("e", new ApiError("REQUEST_LIMIT_EXCEEDED", "slow down"))).toMatchObject({ level: "WARN", message: "429 REQUEST_LIMIT_EXCEEDED: slow down" });
    expect(serviceEventFor("e", new ApiError("DEADLINE_EXCEEDED", "late"))).toMatchObject({ level: "ERROR", kind: "service", servedEntity: "e" });
    expect(serviceEventFor("e", new TypeError("secret sk-123 oops"))!.message).toBe("500 INTERNAL_ERROR: TypeError");
  });
});
