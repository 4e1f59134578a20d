import type { GuardrailParameters } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { HeldBackText, PATTERN_WINDOW } from "./held-back-text";

/** Streams the deltas through a window; returns what was sent and the block, if any. */
function run(params: GuardrailParameters, deltas: string[], holdBack = PATTERN_WINDOW) {
  const window = new HeldBackText(params, holdBack);
  let sent = "";
  for (const delta of deltas) {
    const step = window.push(delta);
    if (step.block) return { sent, blocked: step.block.guardrail };
    sent += step.emit;
  }
  const last = window.flush();
  if (last.block) return { sent, blocked: last.block.guardrail };
  return { sent: sent + last.emit, blocked: null };
}

const filler = "lorem ipsum dolor sit amet ".repeat(10);
const MASK: GuardrailParameters = { pii: { behavior: "MASK" } };
const BLOCK: GuardrailParameters = { pii: { behavior: "BLOCK" } };
const KEYWORDS: GuardrailParameters = { invalid_keywords: ["bomb"] };

describe("HeldBackText", () => {
  it.each([
    [
      "MASK an email split over three chunks",
      MASK,
      ["write to ja", "ne@exa", "mple.com please"],
      "write to [EMAIL] please",
      null,
    ],
    ["MASK a card split inside a group", MASK, ["card 4111 11", "11 1111 1111 ok"], "card [CREDIT_CARD] ok", null],
    ["MASK an IBAN at the very end", MASK, ["iban DE89 3704 0044 ", "0532 0130 00"], "iban [IBAN]", null],
    [
      "MASK after a long prefix",
      MASK,
      [filler, "mail a@b.io", " and ", filler],
      `${filler}mail [EMAIL] and ${filler}`,
      null,
    ],
    ["BLOCK an SSN split over chunks", BLOCK, ["my ssn is 123-", "45-67", "89 thanks"], "", "pii"],
    [
      "BLOCK keeps the text before it when it was already sent",
      BLOCK,
      [filler, filler, "call (213) 373-", "4253 now"],
      null,
      "pii",
    ],
    ["keyword split over chunks", KEYWORDS, ["how to build a bo", "mb at home"], "", "invalid_keywords"],
    ["a longer word is no keyword", KEYWORDS, ["that was bo", "mb", "astic"], "that was bombastic", null],
    ["a keyword at the very end blocks at flush", KEYWORDS, ["a ", "bomb"], "", "invalid_keywords"],
    ["clean text passes unchanged", MASK, ["Hel", "lo ", "world"], "Hello world", null],
  ])("%s", (_name, params, deltas, expectedSent, expectedBlock) => {
    const result = run(params, deltas);
    expect(result.blocked).toBe(expectedBlock);
    if (expectedSent !== null) expect(result.sent).toBe(expectedSent);
  });

  it("never sends any part of a blocked finding", () => {
    const result = run(BLOCK, [filler, filler, "call (213) 373-", "4253 now"]);
    expect(result.blocked).toBe("pii");
    expect(result.sent).not.toContain("213");
    expect(filler + filler).toContain(result.sent);
  });

  it("sends text early when it is far enough behind", () => {
    const window = new HeldBackText(MASK, PATTERN_WINDOW);
    const step = window.push(filler + filler);
    expect(step.emit!.length).toBeGreaterThan(0);
    expect(step.emit!.length).toBeLessThanOrEqual(filler.length * 2 - PATTERN_WINDOW);
  });

  it("holds everything until flush with an infinite window", () => {
    const window = new HeldBackText(MASK, Infinity);
    expect(window.push(filler + filler).emit).toBe("");
    expect(window.flush().emit).toBe(filler + filler);
  });
});
