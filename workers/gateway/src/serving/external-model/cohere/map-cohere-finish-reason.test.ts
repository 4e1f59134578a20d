import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { mapCohereFinishReason } from "./map-cohere-finish-reason";

describe("mapCohereFinishReason", () => {
  it("maps Cohere's reasons to OpenAI's", () => {
    expect(mapCohereFinishReason("COMPLETE")).toBe("stop");
    expect(mapCohereFinishReason("STOP_SEQUENCE")).toBe("stop");
    expect(mapCohereFinishReason("MAX_TOKENS")).toBe("length");
    expect(mapCohereFinishReason("TOOL_CALL")).toBe("tool_calls");
    expect(mapCohereFinishReason("ERROR_TOXIC")).toBe("content_filter");
  });
  it("turns ERROR into a 502", () => {
    expect(() => mapCohereFinishReason("ERROR")).toThrow(ApiError);
    try {
      mapCohereFinishReason("ERROR");
    } catch (e) {
      expect((e as ApiError).status).toBe(502);
    }
  });
});
