const compiled = new WeakMap<readonly string[], RegExp>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One case-insensitive regex for the whole list. A keyword matches as a whole word or phrase:
 * "bomb" is found in "a Bomb!" but not in "bombastic". Letters of any script count as word characters.
 */
function keywordPattern(keywords: readonly string[]): RegExp {
  let pattern = compiled.get(keywords);
  if (!pattern) {
    const alternatives = [...keywords].sort((a, b) => b.length - a.length).map(escape).join("|");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, "iu");
    compiled.set(keywords, pattern);
  }
  return pattern;
}

/** The first configured keyword found in the text (as configured, not as written), or null. */
export function matchKeywords(text: string, keywords: readonly string[]): string | null {
  if (keywords.length === 0) return null;
  const found = keywordPattern(keywords).exec(text);
  if (!found) return null;
  const lower = found[0].toLowerCase();
  return keywords.find((k) => k.toLowerCase() === lower) ?? found[0];
}
