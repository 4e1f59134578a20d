import { detectCreditCards } from "./detect-credit-cards";
import { detectEmails } from "./detect-emails";
import { detectIban } from "./detect-iban";
import { detectIp } from "./detect-ip";
import { detectPhoneNumbers } from "./detect-phone-numbers";
import { detectSsn } from "./detect-ssn";
import type { PiiMatch } from "./pii-match";

// Earlier detectors win a tie: a card number is a card even if some country's phone plan would accept it.
const DETECTORS = [detectEmails, detectCreditCards, detectSsn, detectIban, detectIp, detectPhoneNumbers];

/** Every piece of personal data in the text, in order, without overlaps (the earliest, then longest, wins). */
export function findPii(text: string): PiiMatch[] {
  const all = DETECTORS.flatMap((detect, priority) => detect(text).map((m) => ({ ...m, priority })));
  all.sort((a, b) => a.start - b.start || b.end - a.end || a.priority - b.priority);
  const kept: PiiMatch[] = [];
  for (const { priority: _priority, ...m } of all) {
    const last = kept.at(-1);
    if (!last || m.start >= last.end) kept.push(m);
  }
  return kept;
}
