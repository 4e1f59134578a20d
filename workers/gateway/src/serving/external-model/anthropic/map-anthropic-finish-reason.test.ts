import { describe, expect, it } from "vitest";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason";

describe("mapAnthropicFinishReason", () => {
  it("maps every documented stop_reason", () => {
    expect(mapAnthropicFinishReason("end_turn")).toEqual({ unified: "stop", raw: "end_turn" });
    expect(mapAnthropicFinishReason("stop_sequence")?.unified).toBe("stop");
    expect(mapAnthropicFinishReason("pause_turn")?.unified).toBe("stop");
    expect(mapAnthropicFinishReason("max_tokens")?.unified).toBe("length");
    expect(mapAnthropicFinishReason("model_context_window_exceeded")?.unified).toBe("length");
    expect(mapAnthropicFinishReason("tool_use")?.unified).toBe("tool_calls");
    expect(mapAnthropicFinishReason("refusal")?.unified).toBe("content_filter");
    expect(mapAnthropicFinishReason(null)).toBeNull();
  });
});
