import { describe, expect, it } from "vitest";
import { passesLuhn } from "./luhn";

describe("passesLuhn", () => {
  it.each([
    ["4111111111111111", true], // Visa test number
    ["5555555555554444", true], // Mastercard test number
    ["378282246310005", true], // Amex test number
    ["79927398713", true], // the textbook example
    ["4111111111111112", false],
    ["1234567812345678", false],
    ["", false],
    ["4111-1111", false], // digits only
  ])("%s → %s", (digits, expected) => {
    expect(passesLuhn(digits)).toBe(expected);
  });
});
