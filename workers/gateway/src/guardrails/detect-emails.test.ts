import { describe, expect, it } from "vitest";
import { detectEmails } from "./detect-emails";

const found = (text: string) => detectEmails(text).map((m) => text.slice(m.start, m.end));

describe("detectEmails", () => {
  it.each([
    ["mail jane.doe@example.com today", ["jane.doe@example.com"]],
    ["<a+tag@sub.mail.co.uk>", ["a+tag@sub.mail.co.uk"]],
    ["two: a@b.io, c_d@e-f.org.", ["a@b.io", "c_d@e-f.org"]],
    ["JOHN@EXAMPLE.COM", ["JOHN@EXAMPLE.COM"]],
    ["@handle and user@ and @example.com", []],
    ["version 1.2@3 or a@b", []],
    ["no address here", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
