import { describe, expect, it } from "vitest";
import { batchEmbedContentsVectors, buildBatchEmbedContents } from "./batch-embed-contents";
import { geminiModelFor } from "./palm-model";

describe("geminiModelFor", () => {
  it("maps retired PaLM models to their Gemini successors and passes Gemini ids through", () => {
    expect(geminiModelFor("chat-bison-001")).toBe("gemini-2.5-flash");
    expect(geminiModelFor("models/text-bison-001")).toBe("gemini-2.5-flash");
    expect(geminiModelFor("embedding-gecko-001")).toBe("gemini-embedding-001");
    expect(geminiModelFor("models/gemini-2.0-flash")).toBe("gemini-2.0-flash");
    expect(() => geminiModelFor("a/b")).toThrow(/model id/);
  });
});

describe("buildBatchEmbedContents", () => {
  it("sends one EmbedContentRequest per text, 100 per batch", () => {
    const batches = buildBatchEmbedContents(
      {
        input: Array.from({ length: 150 }, (_, i) => `t${i}`),
        dimensions: 8,
        extra_params: { taskType: "RETRIEVAL_DOCUMENT" },
      },
      "gemini-embedding-001",
    );
    expect(batches.map((b) => b.requests.length)).toEqual([100, 50]);
    expect(batches[0]!.requests[0]).toEqual({
      model: "models/gemini-embedding-001",
      content: { parts: [{ text: "t0" }] },
      outputDimensionality: 8,
      taskType: "RETRIEVAL_DOCUMENT",
    });
    expect(buildBatchEmbedContents({ input: "x" }, "m")).toEqual([
      { requests: [{ model: "models/m", content: { parts: [{ text: "x" }] } }] },
    ]);
  });

  it("rejects what the Gemini API cannot do", () => {
    expect(() => buildBatchEmbedContents({ input: "x", truncate: "END" }, "m")).toThrow(/'truncate'/);
    expect(buildBatchEmbedContents({ input: "x", user: "u" }, "m")).toEqual([
      { requests: [{ model: "models/m", content: { parts: [{ text: "x" }] } }] },
    ]);
    expect(() => buildBatchEmbedContents({ input: "x", extra_params: { foo: 1 } }, "m")).toThrow(/extra_params.foo/);
  });
});

describe("batchEmbedContentsVectors", () => {
  it("reads a recorded answer and checks the count", () => {
    expect(batchEmbedContentsVectors({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, 2)).toEqual([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    expect(() => batchEmbedContentsVectors({ embeddings: [{ values: [1] }] }, 2)).toThrow(/expected 2/);
  });
});
