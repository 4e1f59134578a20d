import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error";

describe("describeError", () => {
  it("describes an error and each cause on its own line", () => {
    const socket = new Error("ECONNRESET");
    const fetchFailure = new TypeError("Network connection lost.", { cause: socket });
    const error = new ApiError("BAD_GATEWAY", "The connection broke off.", { status: 502, cause: fetchFailure });
    expect(describeError(error)).toBe(
      "502 BAD_GATEWAY: The connection broke off.\ncaused by: " +
        "TypeError: Network connection lost.\ncaused by: Error: ECONNRESET",
    );
  });

  it("gives a bug's stack when asked, and text or JSON for a cause that is not an Error", () => {
    const bug = new RangeError("index 7 out of range");
    expect(describeError(bug, { stack: true })).toBe(bug.stack);
    expect(describeError(bug, { stack: true })).toContain("describe-error.test");
    expect(describeError(new ApiError("BAD_GATEWAY", "failed", { cause: "HTTP 500: overloaded" }))).toBe(
      "502 BAD_GATEWAY: failed\ncaused by: HTTP 500: overloaded",
    );
    expect(describeError({ status: 500 })).toBe('{"status":500}');
  });

  it("stops after a few causes, so a cycle cannot loop", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeError(a).split("\n")).toHaveLength(4);
  });
});
