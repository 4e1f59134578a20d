import { afterEach, describe, expect, it, vi } from "vitest";
import { finishReason, mapFinishReason, wireFinishReason } from "./finish-reason";

const TABLE = { end_turn: "stop", max_tokens: "length" } as const;

describe("mapFinishReason", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps the provider's value beside the unified one; none given is null", () => {
    expect(mapFinishReason("anthropic", "max_tokens", TABLE)).toEqual({ unified: "length", raw: "max_tokens" });
    expect(mapFinishReason("anthropic", null, TABLE)).toBeNull();
    expect(mapFinishReason("anthropic", undefined, TABLE)).toBeNull();
  });

  it("a value the table lacks is 'other', logged with the provider so a new value gets noticed", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(mapFinishReason("anthropic", "new_reason", TABLE)).toEqual({ unified: "other", raw: "new_reason" });
    expect(mapFinishReason("anthropic", "toString", TABLE)).toEqual({ unified: "other", raw: "toString" });
    expect(warn).toHaveBeenCalledWith(
      JSON.stringify({ type: "unknown_finish_reason", provider: "anthropic", raw: "new_reason" }),
    );
  });
});

describe("wireFinishReason", () => {
  it("sends the unified value, 'other' as the 'stop' clients always got for it", () => {
    expect(wireFinishReason(finishReason("tool_calls", "tool_use"))).toBe("tool_calls");
    expect(wireFinishReason(finishReason("other", "new_reason"))).toBe("stop");
    expect(wireFinishReason(null)).toBeNull();
    expect(wireFinishReason(undefined)).toBeNull();
  });
});
