import type { GuardrailParameters } from "@edgeserve/api";
import { findPii } from "./find-pii";
import { maskPii } from "./mask-pii";
import type { GuardrailBlock } from "./guardrail-block";
import { matchKeywords } from "./match-keywords";
import { PII_KINDS, type PiiMatch } from "./pii-match";

export interface ScreenResult {
  /** Findings that block (the keyword, then PII when its behavior is BLOCK), earliest first. */
  blocks: GuardrailBlock[];
  /** PII to mask (behavior MASK), sorted and not overlapping. */
  masks: PiiMatch[];
}

/**
 * The pattern guardrails (invalid_keywords, pii) over one text. Safety and topics are checked elsewhere (they call
 * models).
 */
export function screenText(text: string, params: GuardrailParameters): ScreenResult {
  const blocks: GuardrailBlock[] = [];
  const keyword = matchKeywords(text, params.invalid_keywords ?? []);
  if (keyword)
    blocks.push({
      guardrail: "invalid_keywords",
      reason: `found the keyword '${keyword.keyword}'`,
      start: keyword.start,
      end: keyword.end,
    });
  const behavior = params.pii?.behavior ?? "NONE";
  if (behavior === "NONE") return { blocks, masks: [] };
  const pii = findPii(text);
  if (behavior === "MASK") return { blocks, masks: pii };
  const first = pii[0];
  if (first)
    blocks.push({
      guardrail: "pii",
      reason: `found ${PII_KINDS[first.kind].label}`,
      start: first.start,
      end: first.end,
    });
  blocks.sort((a, b) => a.start! - b.start!);
  return { blocks, masks: [] };
}

/**
 * The pattern guardrails over every text of a request or an answer: `rewriteTexts` calls its argument on each
 * text and gives back the value with the texts it returns (see rewriteRequestTexts, rewriteResponseTexts).
 * Returns that value with PII masked, the first block found (of the first text that has one) and how many
 * items were masked.
 */
export function screenTexts<T>(
  params: GuardrailParameters,
  rewriteTexts: (rewrite: (text: string) => string) => T,
): { guarded: T; block: GuardrailBlock | undefined; masked: number } {
  let block: GuardrailBlock | undefined;
  let masked = 0;
  const guarded = rewriteTexts((text) => {
    const { blocks, masks } = screenText(text, params);
    block ??= blocks[0];
    masked += masks.length;
    return maskPii(text, masks);
  });
  return { guarded, block, masked };
}

/** True when the config has a guardrail that must see a whole text at once (it asks another model). */
export function needsWholeText(params: GuardrailParameters): boolean {
  return params.safety === true || (params.valid_topics?.length ?? 0) > 0;
}
