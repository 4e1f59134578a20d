/**
 * An upper bound of `JSON.stringify(value)`'s size in UTF-8 bytes, without serialising it. Each UTF-16
 * code unit of a string takes at most 6 bytes in JSON (`\u001f`; a surrogate pair is 4 bytes for two
 * units), a number at most 24 characters. For JSON-safe values (what payload records are).
 */
export function jsonBytesAtMost(value: unknown): number {
  if (typeof value === "string") return 6 * value.length + 2;
  if (typeof value === "number") return 24;
  if (value === null || value === undefined || typeof value === "boolean") return 5;
  if (Array.isArray(value)) {
    let size = 2 + value.length;
    for (const item of value) size += jsonBytesAtMost(item);
    return size;
  }
  if (typeof value === "object") {
    let size = 2;
    for (const [key, item] of Object.entries(value)) size += 6 * key.length + 4 + jsonBytesAtMost(item);
    return size;
  }
  return 5;
}
