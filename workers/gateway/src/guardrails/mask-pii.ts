import { PII_KINDS, type PiiMatch } from "./pii-match";

/** Replaces each match (sorted, not overlapping, as `findPii` returns them) with its token, e.g. `[EMAIL]`. */
export function maskPii(text: string, matches: PiiMatch[]): string {
  let masked = "";
  let from = 0;
  for (const m of matches) {
    masked += text.slice(from, m.start) + PII_KINDS[m.kind].token;
    from = m.end;
  }
  return masked + text.slice(from);
}
