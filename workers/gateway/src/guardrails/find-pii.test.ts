import { describe, expect, it } from "vitest";
import { findPii } from "./find-pii";
import { maskPii } from "./mask-pii";

describe("findPii + maskPii", () => {
  it.each([
    ["mail jane@example.com", "mail [EMAIL]"],
    ["card 4111 1111 1111 1111 exp", "card [CREDIT_CARD] exp"],
    ["ssn 123-45-6789", "ssn [SSN]"],
    ["iban DE89 3704 0044 0532 0130 00", "iban [IBAN]"],
    ["host 10.1.2.3 and 2001:db8::1", "host [IP_ADDRESS] and [IP_ADDRESS]"],
    ["call +1 213-373-4253", "call [PHONE_NUMBER]"],
    [
      "all: a@b.io, 5555555555554444, 123-45-6789, (213) 373-4253",
      "all: [EMAIL], [CREDIT_CARD], [SSN], [PHONE_NUMBER]",
    ],
    ["a random 1234567812345678 and DE89370400440532013001", "a random 1234567812345678 and DE89370400440532013001"],
    ["nothing personal", "nothing personal"],
  ])("%s", (text, expected) => {
    expect(maskPii(text, findPii(text))).toBe(expected);
  });

  it("returns sorted, non-overlapping matches", () => {
    const text = "x 4111111111111111 y a@b.io";
    expect(findPii(text).map((m) => m.kind)).toEqual(["credit_card", "email"]);
  });
});
