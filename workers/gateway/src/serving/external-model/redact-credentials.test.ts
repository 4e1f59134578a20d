import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { redactCredentials } from "./redact-credentials";

describe("redactCredentials", () => {
  it("cuts every credential out of an ApiError's message, keeping its code, status and headers", () => {
    const error = new ApiError("REQUEST_LIMIT_EXCEEDED", "key sk-live-abcdef123 and sk-live-abcdef123 again, org org-998877", { headers: { "Retry-After": "3" } });
    const redacted = redactCredentials(error, ["sk-live-abcdef123", "org-998877"]) as ApiError;
    expect(redacted).toBeInstanceOf(ApiError);
    expect(redacted.message).toBe("key [REDACTED] and [REDACTED] again, org [REDACTED]");
    expect(redacted).toMatchObject({ code: "REQUEST_LIMIT_EXCEEDED", status: 429, headers: { "Retry-After": "3" } });
  });

  it("redacts other errors too, keeping their name; leaves messages without a credential as they are", () => {
    const failure = new TypeError("bad header Bearer tok-0123456789");
    const redacted = redactCredentials(failure, ["tok-0123456789"]) as Error;
    expect([redacted.name, redacted.message]).toEqual(["TypeError", "bad header Bearer [REDACTED]"]);
    const clean = new ApiError("BAD_GATEWAY", "The provider failed (HTTP 500): overloaded");
    expect(redactCredentials(clean, ["tok-0123456789"])).toBe(clean);
  });

  it("does not search for values too short to be a key (they would mangle every message)", () => {
    const error = new ApiError("BAD_GATEWAY", "a provider message");
    expect((redactCredentials(error, ["a", "us-east"]) as ApiError).message).toBe("a provider message");
  });
});
