import { describe, expect, it } from "vitest";
import { credentialRedactor } from "./redact-credentials";

describe("credentialRedactor", () => {
  it("replaces every credential value in a provider's text, longest first, and leaves short values alone", () => {
    const redact = credentialRedactor(new Map([["bearer_token_auth.token", "sk-abcdef123456"], ["other", "abc"], ["prefix", "sk-abcdef"]]));
    expect(redact("Invalid token: Bearer sk-abcdef123456 (also sk-abcdef)")).toBe("Invalid token: Bearer [REDACTED] (also [REDACTED])");
    expect(redact("abc stays")).toBe("abc stays");
    expect(credentialRedactor(new Map())("nothing")).toBe("nothing");
  });
});
