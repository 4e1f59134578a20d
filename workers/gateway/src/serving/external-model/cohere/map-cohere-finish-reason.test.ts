import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { mapCohereFinishReason } from "./map-cohere-finish-reason";

describe("mapCohereFinishReason", () => {
  it("maps Cohere's reasons to OpenAI's", () => {
    expect(mapCohereFinishReason("COMPLETE")).toEqual({ unified: "stop", raw: "COMPLETE" });
    expect(mapCohereFinishReason("STOP_SEQUENCE")?.unified).toBe("stop");
    expect(mapCohereFinishReason("MAX_TOKENS")?.unified).toBe("length");
    expect(mapCohereFinishReason("TOOL_CALL")?.unified).toBe("tool_calls");
    expect(mapCohereFinishReason("ERROR_TOXIC")?.unified).toBe("content_filter");
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
