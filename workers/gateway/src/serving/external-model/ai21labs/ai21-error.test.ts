import { describe, expect, it } from "vitest";
import { ai21ErrorMessage, mapAi21Error } from "./ai21-error";

describe("AI21 errors", () => {
  it("reads FastAPI-style details, string or validation list", () => {
    expect(ai21ErrorMessage('{"detail":"Forbidden: Bad or missing API token."}')).toBe(
      "Forbidden: Bad or missing API token.",
    );
    expect(
      ai21ErrorMessage(
        '{"detail":[{"type":"less_than_equal","loc":["body","temperature"],"msg":"Input ' +
          'should be less than or equal to 2","input":3,"ctx":{"le":2.0}}]}',
      ),
    ).toBe("temperature: Input should be less than or equal to 2");
  });
  it("maps statuses: 422 → 400 with the message, 401 → 502, 429 → 429 with Retry-After", () => {
    const invalid = mapAi21Error(
      422,
      new Headers(),
      '{"detail":[{"loc":["body","n"],"msg":"Input should be less than or equal to 16"}]}',
    );
    expect(invalid.status).toBe(400);
    expect(invalid.message).toContain("n: Input should be less than or equal to 16");
    const auth = mapAi21Error(401, new Headers(), '{"detail":"Forbidden: Bad or missing API token."}');
    expect(auth.status).toBe(502);
    const limited = mapAi21Error(429, new Headers({ "retry-after": "3" }), '{"detail":"Too many requests"}');
    expect(limited.status).toBe(429);
  });
});
