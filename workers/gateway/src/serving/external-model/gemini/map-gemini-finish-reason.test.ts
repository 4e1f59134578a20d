import { describe, expect, it } from "vitest";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

describe("mapGeminiFinishReason", () => {
  it("maps Gemini's reasons to OpenAI's", () => {
    expect(mapGeminiFinishReason("STOP", false)?.unified).toBe("stop");
    expect(mapGeminiFinishReason("STOP", true)).toEqual({ unified: "tool_calls", raw: "STOP" });
    expect(mapGeminiFinishReason("MAX_TOKENS", true)?.unified).toBe("length");
    expect(mapGeminiFinishReason("SAFETY", false)?.unified).toBe("content_filter");
    expect(mapGeminiFinishReason("RECITATION", false)?.unified).toBe("content_filter");
    expect(mapGeminiFinishReason("PROHIBITED_CONTENT", false)?.unified).toBe("content_filter");
    expect(mapGeminiFinishReason("OTHER", false)).toEqual({ unified: "other", raw: "OTHER" });
    expect(mapGeminiFinishReason(undefined, false)).toBeNull();
  });
});
