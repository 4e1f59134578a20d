import type { PiiMatch } from "./pii-match";

// Country code, two check digits, then 11–30 letters or digits, optionally in space-separated groups.
const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

/** ISO 13616 check: move the first four characters to the end, letters → 10..35, the number mod 97 must be 1. */
export function passesIbanChecksum(iban: string): boolean {
  const compact = iban.replace(/ /g, "");
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

/**
 * IBANs with a valid checksum. A candidate that runs into following text ("DE89 … 00 AB12")
 * is shortened group by group until it validates, so trailing words do not hide a real IBAN.
 */
export function detectIban(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    let candidate = m[0];
    while (candidate.replace(/ /g, "").length >= 15) {
      if (passesIbanChecksum(candidate)) {
        found.push({ kind: "iban", start: m.index, end: m.index + candidate.length });
        break;
      }
      const lastSpace = candidate.lastIndexOf(" ");
      if (lastSpace < 0) break;
      candidate = candidate.slice(0, lastSpace);
    }
  }
  return found;
}
