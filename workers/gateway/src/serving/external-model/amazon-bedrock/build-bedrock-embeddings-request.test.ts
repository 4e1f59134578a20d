import { describe, expect, it } from "vitest";
import { bedrockEmbeddingsToUnified, buildBedrockEmbeddingsRequests } from "./build-bedrock-embeddings-request";

describe("buildBedrockEmbeddingsRequests", () => {
  it("sends one Titan call per text", () => {
    expect(buildBedrockEmbeddingsRequests({ input: ["a", "b"], dimensions: 256 }, "amazon")).toEqual([
      { inputText: "a", dimensions: 256 },
      { inputText: "b", dimensions: 256 },
    ]);
  });
  it("sends Cohere texts in batches of 96", () => {
    const input = Array.from({ length: 97 }, (_, i) => `t${i}`);
    const out = buildBedrockEmbeddingsRequests({ input }, "cohere");
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ texts: input.slice(0, 96), input_type: "search_document" });
  });
  it("gives a 400 for families without embeddings", () => {
    expect(() => buildBedrockEmbeddingsRequests({ input: "x" }, "anthropic")).toThrow(/no embedding models/);
  });
});

describe("bedrockEmbeddingsToUnified", () => {
  it("reads Titan embeddings with their token counts", () => {
    expect(
      bedrockEmbeddingsToUnified(
        [
          { embedding: [0.1, 0.2], inputTextTokenCount: 3 },
          { embedding: [0.3, 0.4], inputTextTokenCount: 4 },
        ],
        "amazon",
        "amazon.titan-embed-text-v2:0",
      ),
    ).toEqual({
      model: "amazon.titan-embed-text-v2:0",
      embeddings: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      usage: { promptTokens: 7, completionTokens: 0 },
    });
  });
  it("reads Cohere embeddings (no counts)", () => {
    const r = {
      id: "x",
      embeddings: [
        [1, 2],
        [3, 4],
      ],
      response_type: "embeddings_floats",
      texts: ["a", "b"],
    };
    expect(bedrockEmbeddingsToUnified([r], "cohere", "cohere.embed-english-v3")).toEqual({
      model: "cohere.embed-english-v3",
      embeddings: [
        [1, 2],
        [3, 4],
      ],
    });
  });
});
