import { type PiiMatch, regexMatches } from "./pii-match";

// AAA-GG-SSSS (or with spaces, the same separator twice). Nine bare digits are not matched: too many false positives.
const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;

/** The SSA never issues area 000, 666 or 900–999, group 00 or serial 0000. */
function isSsn(candidate: string): boolean {
  const [area, group, serial] = candidate.split(/[- ]/);
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== "00" && serial !== "0000";
}

export function detectSsn(text: string): PiiMatch[] {
  return regexMatches(text, SSN, "ssn", isSsn);
}
