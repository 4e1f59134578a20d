import { describe, expect, it } from "vitest";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason";

describe("mapAnthropicFinishReason", () => {
  it("maps every documented stop_reason", () => {
    expect(mapAnthropicFinishReason("end_turn")).toBe("stop");
    expect(mapAnthropicFinishReason("stop_sequence")).toBe("stop");
    expect(mapAnthropicFinishReason("pause_turn")).toBe("stop");
    expect(mapAnthropicFinishReason("max_tokens")).toBe("length");
    expect(mapAnthropicFinishReason("model_context_window_exceeded")).toBe("length");
    expect(mapAnthropicFinishReason("tool_use")).toBe("tool_calls");
    expect(mapAnthropicFinishReason("refusal")).toBe("content_filter");
    expect(mapAnthropicFinishReason(null)).toBeNull();
  });
});
