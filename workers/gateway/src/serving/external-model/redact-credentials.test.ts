import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { credentialRedactor, redactCredentials } from "./redact-credentials";

describe("credentialRedactor", () => {
  it("replaces every credential value in a provider's text, longest first, and leaves short values alone", () => {
    const redact = credentialRedactor(
      new Map([
        ["bearer_token_auth.token", "sk-abcdef123456"],
        ["other", "abc"],
        ["prefix", "sk-abcdef"],
      ]),
    );
    expect(redact("Invalid token: Bearer sk-abcdef123456 (also sk-abcdef)")).toBe(
      "Invalid token: Bearer [REDACTED] (also [REDACTED])",
    );
    expect(redact("abc stays")).toBe("abc stays");
    expect(credentialRedactor(new Map())("nothing")).toBe("nothing");
  });
});

describe("redactCredentials", () => {
  const redact = credentialRedactor(
    new Map([
      ["key", "sk-live-abcdef123"],
      ["org", "org-998877"],
      ["token", "tok-0123456789"],
      ["region", "us-east"],
    ]),
  );

  it("cuts every credential out of an ApiError's message, keeping its code, status and headers", () => {
    const error = new ApiError(
      "REQUEST_LIMIT_EXCEEDED",
      "key sk-live-abcdef123 and sk-live-abcdef123 again, org org-998877",
      { headers: { "Retry-After": "3" } },
    );
    const redacted = redactCredentials(error, redact) as ApiError;
    expect(redacted).toBeInstanceOf(ApiError);
    expect(redacted.message).toBe("key [REDACTED] and [REDACTED] again, org [REDACTED]");
    expect(redacted).toMatchObject({ code: "REQUEST_LIMIT_EXCEEDED", status: 429, headers: { "Retry-After": "3" } });
  });

  it("redacts other errors too, keeping their name; leaves messages without a credential as they are", () => {
    const failure = new TypeError("bad header Bearer tok-0123456789");
    const redacted = redactCredentials(failure, redact) as Error;
    expect([redacted.name, redacted.message]).toEqual(["TypeError", "bad header Bearer [REDACTED]"]);
    const clean = new ApiError("BAD_GATEWAY", "The provider failed (HTTP 500): overloaded in us-east");
    expect(redactCredentials(clean, redact)).toBe(clean);
  });

  it("cuts credentials out of the causes too, which the logs show", () => {
    const error = new ApiError("BAD_GATEWAY", "The provider rejected the endpoint's credentials (HTTP 401).", {
      status: 502,
      cause: 'The provider answered HTTP 401: {"error":"bad key sk-live-abcdef123"}',
    });
    expect((redactCredentials(error, redact) as ApiError).cause).toBe(
      'The provider answered HTTP 401: {"error":"bad key [REDACTED]"}',
    );
  });
});
