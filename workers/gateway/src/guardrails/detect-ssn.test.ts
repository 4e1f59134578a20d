import { describe, expect, it } from "vitest";
import { detectSsn } from "./detect-ssn";

const found = (text: string) => detectSsn(text).map((m) => text.slice(m.start, m.end));

describe("detectSsn", () => {
  it.each([
    ["ssn 123-45-6789.", ["123-45-6789"]],
    ["ssn 123 45 6789", ["123 45 6789"]],
    ["mixed 123-45 6789", []],
    ["area 000-12-3456", []],
    ["area 666-12-3456", []],
    ["area 900-12-3456", []],
    ["group 123-00-4567", []],
    ["serial 123-45-0000", []],
    ["bare 123456789", []],
    ["longer 1123-45-6789 or 123-45-67890", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
