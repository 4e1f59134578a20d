import { passesLuhn } from "./luhn";
import { type PiiMatch, regexMatches } from "./pii-match";

// 13–19 digits written together, in groups of four (Visa, Mastercard, Discover…), or 4-6-5 (Amex).
const CARD = /(?<![\d-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\d])/g;

/** Card numbers: the right length, an issuer's leading digit (2–6) and a valid Luhn checksum. */
function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && passesLuhn(digits);
}

export function detectCreditCards(text: string): PiiMatch[] {
  return regexMatches(text, CARD, "credit_card", isCardNumber);
}
