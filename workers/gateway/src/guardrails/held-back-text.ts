import type { GuardrailParameters } from "@edgeserve/api";
import type { GuardrailBlock } from "./guardrail-block";
import { maskPii } from "./mask-pii";
import { screenText } from "./screen-text";

/**
 * How many trailing characters of a stream are held back before they are sent. Anything the pattern
 * guardrails find is shorter than this (IBANs ≤ 42 with spaces, IPv6 ≤ 45, phones and cards ≤ 25,
 * practically every email), so a match split across chunks is complete before any of it leaves.
 */
export const PATTERN_WINDOW = 128;

/** Text that may be sent now (with how many findings were masked in it), or why the stream must stop. */
export type WindowStep =
  | { emit: string; masked: number; block?: undefined }
  | { block: GuardrailBlock; emit?: undefined; masked?: undefined };

/**
 * The text of one streamed choice, screened as it grows. Text is sent only when it is `holdBack`
 * characters behind the newest, cut after whitespace and never inside a finding. Pass `Infinity`
 * to hold everything until `flush` (for guardrails that judge the whole text).
 */
export class HeldBackText {
  private pending = "";

  constructor(
    private readonly params: GuardrailParameters,
    private readonly holdBack: number,
  ) {}

  push(delta: string): WindowStep {
    this.pending += delta;
    const text = this.pending;
    const { blocks, masks } = screenText(text, this.params);
    // A finding that touches the end may still grow or vanish ("bomb" + "astic"); it blocks once text follows it.
    const settled = blocks.find((b) => b.end! < text.length);
    if (settled) return { block: settled };
    let cut = Math.max(0, text.length - this.holdBack);
    cut = cut === 0 ? 0 : lastBoundaryAtOrBefore(text, cut);
    for (let moved = true; moved; ) {
      moved = false;
      for (const f of [...blocks, ...masks]) {
        if (f.start! < cut && f.end! > cut) {
          cut = f.start!;
          moved = true;
        }
      }
    }
    this.pending = text.slice(cut);
    const sent = masks.filter((m) => m.end <= cut);
    return { emit: maskPii(text.slice(0, cut), sent), masked: sent.length };
  }

  /** The rest of the text, screened as a whole, at the end of the choice. */
  flush(): WindowStep {
    const text = this.pending;
    this.pending = "";
    const { blocks, masks } = screenText(text, this.params);
    if (blocks[0]) return { block: blocks[0] };
    return { emit: maskPii(text, masks), masked: masks.length };
  }
}

/** The position just after the last whitespace at or before `position` (0 when there is none). */
function lastBoundaryAtOrBefore(text: string, position: number): number {
  for (let i = position - 1; i >= 0; i--) if (/\s/.test(text[i]!)) return i + 1;
  return 0;
}
