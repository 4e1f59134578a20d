import { type PiiMatch, regexMatches } from "./pii-match";

// local@domain.tld: a pragmatic subset of RFC 5322 (no quoted local parts), a dotted domain, a letter TLD.
const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])/g;

export function detectEmails(text: string): PiiMatch[] {
  return regexMatches(text, EMAIL, "email");
}
