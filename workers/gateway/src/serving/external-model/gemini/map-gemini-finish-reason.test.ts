import { describe, expect, it } from "vitest";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

describe("mapGeminiFinishReason", () => {
  it("maps Gemini's reasons to OpenAI's", () => {
    expect(mapGeminiFinishReason("STOP", false)).toBe("stop");
    expect(mapGeminiFinishReason("STOP", true)).toBe("tool_calls");
    expect(mapGeminiFinishReason("MAX_TOKENS", true)).toBe("length");
    expect(mapGeminiFinishReason("SAFETY", false)).toBe("content_filter");
    expect(mapGeminiFinishReason("RECITATION", false)).toBe("content_filter");
    expect(mapGeminiFinishReason("PROHIBITED_CONTENT", false)).toBe("content_filter");
    expect(mapGeminiFinishReason("OTHER", false)).toBe("stop");
    expect(mapGeminiFinishReason(undefined, false)).toBeNull();
  });
});
