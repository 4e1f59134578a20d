import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { serviceEventFor } from "./service-log";

describe("serviceEventFor", () => {
  it("logs upstream failures and throttling, not the caller's own mistakes", () => {
    expect(serviceEventFor("e", new ApiError("INVALID_PARAMETER_VALUE", "bad"))).toBeNull();
    expect(serviceEventFor("e", new ApiError("REQUEST_LIMIT_EXCEEDED", "slow down"))).toMatchObject({
      level: "WARN",
      message: "429 REQUEST_LIMIT_EXCEEDED: slow down",
    });
    expect(serviceEventFor("e", new ApiError("DEADLINE_EXCEEDED", "late"))).toMatchObject({
      level: "ERROR",
      kind: "service",
      servedEntity: "e",
    });
    expect(serviceEventFor("e", new TypeError("secret sk-123 oops"))!.message).toBe("500 INTERNAL_ERROR: TypeError");
  });

  it("gives a handled failure's cause on the same line; of a bug only its name", () => {
    const cause = "The provider 'openai' answered HTTP 500:\n<html>pool exhausted</html>";
    const error = new ApiError("BAD_GATEWAY", "The provider 'openai' failed (HTTP 500).", { status: 502, cause });
    expect(serviceEventFor("e", error)!.message).toBe(
      "502 BAD_GATEWAY: The provider 'openai' failed (HTTP 500). (caused by: " +
        "The provider 'openai' answered HTTP 500: <html>pool exhausted</html>)",
    );
    expect(serviceEventFor("e", ApiError.from(new TypeError("secret sk-123 oops")))!.message).toBe(
      "500 INTERNAL_ERROR: TypeError",
    );
  });
});
