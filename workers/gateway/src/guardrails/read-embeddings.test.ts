import { describe, expect, it } from "vitest";
import { readEmbeddings } from "./read-embeddings";

describe("readEmbeddings", () => {
  it.each([
    [
      "OpenAI list",
      {
        data: [
          { index: 0, embedding: [1, 2] },
          { index: 1, embedding: [3, 4] },
        ],
      },
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [
      "OpenAI list out of order",
      {
        data: [
          { index: 1, embedding: [3] },
          { index: 0, embedding: [1] },
        ],
      },
      [[1], [3]],
    ],
    ["predictions", { predictions: [[0.5, 0.5]] }, [[0.5, 0.5]]],
    ["base64 embeddings are not vectors", { data: [{ index: 0, embedding: "AAAA" }] }, null],
    ["something else", { choices: [] }, null],
    ["null", null, null],
  ])("%s", (_name, answer, expected) => {
    expect(readEmbeddings(answer)).toEqual(expected);
  });
});
