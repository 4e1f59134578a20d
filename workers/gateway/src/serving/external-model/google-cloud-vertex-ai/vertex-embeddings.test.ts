import { describe, expect, it } from "vitest";
import { buildVertexEmbeddingsRequest } from "./build-vertex-embeddings-request";
import { vertexEmbeddingsToUnified } from "./vertex-embeddings-to-unified";

describe("buildVertexEmbeddingsRequest", () => {
  it("sends one instance per input with parameters from dimensions and extra_params", () => {
    expect(
      buildVertexEmbeddingsRequest({
        model: "ep",
        input: ["a", "b"],
        dimensions: 256,
        client_request_id: "x",
        extra_params: { task_type: "RETRIEVAL_QUERY", autoTruncate: false },
      }),
    ).toEqual({
      instances: [
        { content: "a", task_type: "RETRIEVAL_QUERY" },
        { content: "b", task_type: "RETRIEVAL_QUERY" },
      ],
      parameters: { autoTruncate: false, outputDimensionality: 256 },
    });
    expect(buildVertexEmbeddingsRequest({ input: "one" })).toEqual({ instances: [{ content: "one" }] });
  });

  it("rejects unknown fields; user (an end-user id) is accepted and not sent", () => {
    expect(() => buildVertexEmbeddingsRequest({ input: "a", truncate: "END" })).toThrow(/'truncate'/);
    expect(buildVertexEmbeddingsRequest({ input: "a", user: "u" })).toEqual({ instances: [{ content: "a" }] });
  });
});

describe("vertexEmbeddingsToUnified", () => {
  it("reads a recorded :predict answer", () => {
    const recorded = {
      predictions: [
        { embeddings: { statistics: { truncated: false, token_count: 6 }, values: [0.0123, -0.0456] } },
        { embeddings: { statistics: { truncated: false, token_count: 4 }, values: [0.5, 0.25] } },
      ],
      metadata: { billableCharacterCount: 30 },
    };
    expect(vertexEmbeddingsToUnified(recorded, "text-embedding-005")).toEqual({
      model: "text-embedding-005",
      embeddings: [
        [0.0123, -0.0456],
        [0.5, 0.25],
      ],
      usage: { promptTokens: 10, completionTokens: 0 },
    });
  });

  it("leaves usage out (to be estimated) without token counts", () => {
    expect(vertexEmbeddingsToUnified({ predictions: [{ embeddings: { values: [1] } }] }, "m").usage).toBeUndefined();
  });
});
