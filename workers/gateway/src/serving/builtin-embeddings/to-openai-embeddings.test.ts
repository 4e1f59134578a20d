import { describe, expect, it } from "vitest";
import { toOpenAiEmbeddingsBody } from "./to-openai-embeddings";

const response = {
  model: "universal-sentence-encoder",
  embeddings: [
    [0.5, -0.25],
    [1, 0],
  ],
  tokens: 7,
};

describe("toOpenAiEmbeddingsBody", () => {
  it("answers OpenAI's list of embeddings with the encoder's token count as usage", () => {
    expect(toOpenAiEmbeddingsBody(response, undefined)).toEqual({
      object: "list",
      model: "universal-sentence-encoder",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -0.25] },
        { object: "embedding", index: 1, embedding: [1, 0] },
      ],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });

  it("base64-encodes little-endian float32 vectors when asked", () => {
    const body = toOpenAiEmbeddingsBody(response, "base64");
    const bytes = Uint8Array.from(atob(body.data[0]!.embedding as string), (c) => c.charCodeAt(0));
    expect([...new Float32Array(bytes.buffer)]).toEqual([0.5, -0.25]);
  });
});
