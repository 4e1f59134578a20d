/** The kinds of personal data the `pii` guardrail finds, and the token each is masked with. */
export const PII_KINDS = {
  email: { token: "[EMAIL]", label: "an email address" },
  credit_card: { token: "[CREDIT_CARD]", label: "a credit card number" },
  ssn: { token: "[SSN]", label: "a US social security number" },
  iban: { token: "[IBAN]", label: "an IBAN" },
  ip_address: { token: "[IP_ADDRESS]", label: "an IP address" },
  phone_number: { token: "[PHONE_NUMBER]", label: "a phone number" },
} as const;

export type PiiKind = keyof typeof PII_KINDS;

/** One piece of personal data found in a text: `text.slice(start, end)`. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

/** All matches of a global regex as [start, end) ranges, optionally filtered by a validity check. */
export function regexMatches(
  text: string,
  pattern: RegExp,
  kind: PiiKind,
  isValid: (found: string) => boolean = () => true,
): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(pattern)) {
    if (isValid(m[0])) found.push({ kind, start: m.index, end: m.index + m[0].length });
  }
  return found;
}
