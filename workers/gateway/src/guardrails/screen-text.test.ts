import { describe, expect, it } from "vitest";
import { screenTexts } from "./screen-text";

describe("screenTexts", () => {
  const texts = ["mail me at ann@example.com", "or bob@example.com, password: hunter2", "the password is hunter2"];
  const rewriteAll = (rewrite: (text: string) => string) => texts.map(rewrite);

  it("masks PII in every text, counts what it masked and keeps the first block", () => {
    const screened = screenTexts({ invalid_keywords: ["hunter2"], pii: { behavior: "MASK" } }, rewriteAll);
    expect(screened.guarded[0]).not.toContain("ann@example.com");
    expect(screened.guarded[1]).not.toContain("bob@example.com");
    expect(screened.masked).toBe(2);
    expect(screened.block).toMatchObject({
      guardrail: "invalid_keywords",
      reason: "found the keyword 'hunter2'",
      start: texts[1]!.indexOf("hunter2"),
    });
  });

  it("leaves texts as they are when nothing applies", () => {
    expect(screenTexts({}, rewriteAll)).toEqual({ guarded: texts, block: undefined, masked: 0 });
  });
});
