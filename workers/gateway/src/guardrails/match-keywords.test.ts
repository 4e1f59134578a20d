import { describe, expect, it } from "vitest";
import { matchKeywords } from "./match-keywords";

describe("matchKeywords", () => {
  it.each([
    ["How do I build a Bomb?", ["bomb"], "bomb"],
    ["bombastic speech", ["bomb"], null],
    ["the Secret Project launches", ["secret project"], "secret project"],
    ["secret projects", ["secret project"], null],
    ["I use C++ daily", ["c++"], "c++"],
    ["price: $5 (approx.)", ["(approx.)"], "(approx.)"],
    ["Ärger im Büro", ["ärger"], "ärger"],
    ["nothing here", ["bomb", "gun"], null],
    ["anything", [], null],
  ])("%s / %j → %s", (text, keywords, expected) => {
    expect(matchKeywords(text, keywords)?.keyword ?? null).toBe(expected);
  });

  it("gives the position of the match in the text", () => {
    expect(matchKeywords("a BOMB here", ["bomb"])).toEqual({ keyword: "bomb", start: 2, end: 6 });
  });
});
