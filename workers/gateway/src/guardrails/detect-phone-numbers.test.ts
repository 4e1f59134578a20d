import { describe, expect, it } from "vitest";
import { detectPhoneNumbers } from "./detect-phone-numbers";

const found = (text: string) => detectPhoneNumbers(text).map((m) => text.slice(m.start, m.end));

describe("detectPhoneNumbers", () => {
  it.each([
    ["call (213) 373-4253 now", ["(213) 373-4253"]],
    ["call 213-373-4253", ["213-373-4253"]],
    ["london +44 20 7946 0958", ["+44 20 7946 0958"]],
    ["paris +33 1 42 68 53 00.", ["+33 1 42 68 53 00"]],
    ["on 2024-05-01 order 42", []],
    ["ssn 123-45-6789", []],
    ["pi is 3.14159", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
