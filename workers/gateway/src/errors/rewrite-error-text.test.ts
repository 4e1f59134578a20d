import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error";
import { rewriteErrorText } from "./rewrite-error-text";

const hide = (text: string) => text.replaceAll("sk-secret-123", "[REDACTED]");

describe("rewriteErrorText", () => {
  it("rewrites the message, the stack and every cause, keeping an ApiError's code, status, headers and kind", () => {
    const socket = new TypeError("connect to https://api.example/v1?key=sk-secret-123 failed");
    const error = new ApiError("TEMPORARILY_UNAVAILABLE", "Could not reach it (sk-secret-123).", {
      headers: { "Retry-After": "1" },
      cause: new Error("fetch failed", { cause: socket }),
    });
    const rewritten = rewriteErrorText(error, hide) as ApiError;
    expect(rewritten).toBeInstanceOf(ApiError);
    expect(rewritten).toMatchObject({
      code: "TEMPORARILY_UNAVAILABLE",
      status: 503,
      headers: { "Retry-After": "1" },
      unhandled: false,
    });
    expect(rewritten.message).toBe("Could not reach it ([REDACTED]).");
    const logged = describeError(rewritten, { stack: true }) + String(rewritten.stack);
    expect(logged).toContain("key=[REDACTED] failed");
    expect(logged).not.toContain("sk-secret-123");
    expect(describeError((rewritten.cause as Error).cause)).toBe(
      "TypeError: connect to https://api.example/v1?key=[REDACTED] failed",
    );
  });

  it("rewrites a string cause and an unhandled error's stack", () => {
    const bug = ApiError.from(new SyntaxError("Unexpected token in sk-secret-123"));
    const rewritten = rewriteErrorText(bug, hide) as ApiError;
    expect(rewritten.unhandled).toBe(true);
    expect(describeError(rewritten.cause, { stack: true })).not.toContain("sk-secret-123");
    expect(describeError(rewritten.cause, { stack: true })).toContain("SyntaxError: Unexpected token in [REDACTED]");
    const upstream = new ApiError("BAD_GATEWAY", "rejected", { cause: "HTTP 401: bad key sk-secret-123" });
    expect((rewriteErrorText(upstream, hide) as ApiError).cause).toBe("HTTP 401: bad key [REDACTED]");
  });

  it("returns the error itself when there is nothing to rewrite", () => {
    const clean = new ApiError("BAD_GATEWAY", "failed", { cause: new Error("overloaded") });
    expect(rewriteErrorText(clean, hide)).toBe(clean);
    expect(rewriteErrorText("plain", hide)).toBe("plain");
    expect(rewriteErrorText(undefined, hide)).toBeUndefined();
  });
});
