const compiled = new WeakMap<readonly string[], RegExp>();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One case-insensitive regex for the whole list. A keyword matches as a whole word or phrase:
 * "bomb" is found in "a Bomb!" but not in "bombastic". Letters of any script count as word characters.
 */
function keywordPattern(keywords: readonly string[]): RegExp {
  let pattern = compiled.get(keywords);
  if (!pattern) {
    const alternatives = [...keywords]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, "iu");
    compiled.set(keywords, pattern);
  }
  return pattern;
}

export interface KeywordMatch {
  /** As configured, not as written in the text. */
  keyword: string;
  start: number;
  end: number;
}

/** The first configured keyword found in the text, or null. */
export function matchKeywords(text: string, keywords: readonly string[]): KeywordMatch | null {
  if (keywords.length === 0) return null;
  const found = keywordPattern(keywords).exec(text);
  if (!found) return null;
  const lower = found[0].toLowerCase();
  const keyword = keywords.find((k) => k.toLowerCase() === lower) ?? found[0];
  return { keyword, start: found.index, end: found.index + found[0].length };
}
