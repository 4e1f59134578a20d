import { describe, expect, it } from "vitest";
import { detectCreditCards } from "./detect-credit-cards";

const found = (text: string) => detectCreditCards(text).map((m) => text.slice(m.start, m.end));

describe("detectCreditCards", () => {
  it.each([
    ["card 4111111111111111 ok", ["4111111111111111"]],
    ["card 4111 1111 1111 1111, exp 12/29", ["4111 1111 1111 1111"]],
    ["card 5555-5555-5555-4444", ["5555-5555-5555-4444"]],
    ["amex 3782 822463 10005", ["3782 822463 10005"]],
    ["two 4111111111111111 and 5555555555554444", ["4111111111111111", "5555555555554444"]],
    ["fails Luhn 4111111111111112", []],
    ["random 1234567812345678", []],
    ["mixed separators 4111 1111-1111 1111", []],
    ["too short 4111 1111 1111", []],
    ["order id 9111111111111111 (Luhn ok, no issuer starts with 9)", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});
