import { describe, expect, it } from "vitest";
import { cosineSimilarity } from "./cosine-similarity";

describe("cosineSimilarity", () => {
  it.each([
    [[1, 0], [1, 0], 1],
    [[1, 0], [0, 1], 0],
    [[1, 2], [-1, -2], -1],
    [[3, 4], [6, 8], 1],
    [[0, 0], [1, 1], 0],
    [[1, 2, 3], [1, 2], 0],
    [[], [], 0],
  ])("%j · %j → %d", (a, b, expected) => {
    expect(cosineSimilarity(a, b)).toBeCloseTo(expected, 10);
  });
});
