import { findPhoneNumbersInText } from "libphonenumber-js/min";
import type { PiiMatch } from "./pii-match";

/**
 * Phone numbers, found with libphonenumber-js (Google's libphonenumber metadata: per-country
 * lengths and prefixes), so dates, order ids and card numbers are not mistaken for phones.
 * Numbers in international form (+44 …) are found for every country; national ones as US numbers.
 */
export function detectPhoneNumbers(text: string): PiiMatch[] {
  return findPhoneNumbersInText(text, { defaultCountry: "US" }).map((found) => ({
    kind: "phone_number",
    start: found.startsAt,
    end: found.endsAt,
  }));
}
