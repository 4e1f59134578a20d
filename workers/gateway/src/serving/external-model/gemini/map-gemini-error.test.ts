import { describe, expect, it } from "vitest";
import { mapGeminiError } from "./map-gemini-error";

describe("mapGeminiError", () => {
  it("keeps Google's message for a bad request", () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'Invalid JSON payload received. Unknown name "foo": Cannot find field.',
        status: "INVALID_ARGUMENT",
      },
    });
    const e = mapGeminiError(400, new Headers(), body, "palm");
    expect(e.status).toBe(400);
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.message).toContain('Unknown name "foo"');
  });

  it("treats the Gemini API's 400 for an invalid key as a credentials problem", () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: "API key not valid. Please pass a valid API key.",
        status: "INVALID_ARGUMENT",
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
        ],
      },
    });
    const e = mapGeminiError(400, new Headers(), body, "palm");
    expect(e.status).toBe(502);
    expect(e.message).toContain("rejected the endpoint's credentials");
  });

  it("maps 429 RESOURCE_EXHAUSTED with Retry-After", () => {
    const e = mapGeminiError(
      429,
      new Headers({ "retry-after": "7" }),
      JSON.stringify({ error: { code: 429, message: "Resource exhausted.", status: "RESOURCE_EXHAUSTED" } }),
      "p",
    );
    expect(e.status).toBe(429);
    expect(e.headers["Retry-After"]).toBe("7");
  });
});
