import { describe, expect, it } from "vitest";
import { detectIban, passesIbanChecksum } from "./detect-iban";

const found = (text: string) => detectIban(text).map((m) => text.slice(m.start, m.end));

describe("passesIbanChecksum", () => {
  it.each([
    ["DE89370400440532013000", true],
    ["GB82 WEST 1234 5698 7654 32", true],
    ["FR1420041010050500013M02606", true],
    ["DE89370400440532013001", false],
    ["GB82WEST12345698765433", false],
    ["de89370400440532013000", false],
  ])("%s → %s", (iban, expected) => {
    expect(passesIbanChecksum(iban)).toBe(expected);
  });
});

describe("detectIban", () => {
  it.each([
    ["pay to DE89370400440532013000 now", ["DE89370400440532013000"]],
    ["pay to DE89 3704 0044 0532 0130 00 now", ["DE89 3704 0044 0532 0130 00"]],
    ["iban GB82 WEST 1234 5698 7654 32 AB12 CD", ["GB82 WEST 1234 5698 7654 32"]],
    ["bad checksum DE89370400440532013001", []],
    ["part number AB12CDEFGHIJKLMNOP", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
