/**
 * Just enough of SQL's lexical structure to find function calls in a statement and split their
 * arguments: string literals ('…' with '' escapes), quoted identifiers ("…"), comments and nesting
 * are skipped over, so a name or a comma inside them is never taken for code.
 */

/** Index just past the string, identifier or comment that starts at `i`, or `i` when none does. */
export function skipOpaque(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    throw new SqlTextError(`Unterminated ${c === "'" ? "string literal" : "quoted identifier"} at offset ${i}.`);
  }
  if (c === "-" && sql[i + 1] === "-") {
    const end = sql.indexOf("\n", i);
    return end === -1 ? sql.length : end + 1;
  }
  if (c === "/" && sql[i + 1] === "*") {
    const end = sql.indexOf("*/", i + 2);
    if (end === -1) throw new SqlTextError(`Unterminated comment at offset ${i}.`);
    return end + 2;
  }
  return i;
}

export class SqlTextError extends Error {}

export interface Call {
  /** The function name as written. */
  name: string;
  /** Offset of the name's first character. */
  start: number;
  /** Offset just past the closing parenthesis. */
  end: number;
  /** The argument texts, split at top-level commas (untrimmed). */
  args: string[];
}

/** Offset of the parenthesis closing the one at `open`. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; ) {
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (sql[i] === "(" || sql[i] === "[" || sql[i] === "{") depth++;
    else if (sql[i] === ")" || sql[i] === "]" || sql[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  throw new SqlTextError(`Unbalanced parenthesis at offset ${open}.`);
}

/** Splits an argument list at top-level commas. An empty list gives no arguments. */
function splitTopLevel(text: string): string[] {
  if (text.trim() === "") return [];
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; ) {
    const skipped = skipOpaque(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
    i++;
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The outermost calls of any function in `names` (case-insensitive), in order. A name qualified by a
 * dot (`x.ai_query(`) is a column or another schema's function and is left alone; calls nested inside
 * a found call's arguments are the caller's to find (it rewrites the arguments recursively).
 */
export function findCalls(sql: string, names: ReadonlySet<string>): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < sql.length; ) {
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 64));
    if (!word) {
      i++;
      continue;
    }
    const name = word[0];
    let after = i + name.length;
    while (/\s/.test(sql[after] ?? "")) after++;
    const qualified = /\.\s*$/.test(sql.slice(Math.max(0, i - 8), i));
    if (sql[after] === "(" && names.has(name.toLowerCase()) && !qualified) {
      const close = closingParen(sql, after);
      calls.push({ name, start: i, end: close + 1, args: splitTopLevel(sql.slice(after + 1, close)) });
      i = close + 1;
    } else i = Math.max(after, i + name.length);
  }
  return calls;
}

/** The value of a single-quoted SQL string literal, or null when `text` is not exactly one. */
export function stringLiteral(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith("'") || skipOpaque(t, 0) !== t.length) return null;
  return t.slice(1, -1).replaceAll("''", "'");
}

/** A SQL string literal holding `value`. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The string literals of `ARRAY('a', 'b')`, `list_value('a', 'b')` or `['a', 'b']`, or null when `text` is not
 * such a constant list.
 */
export function stringListLiteral(text: string): string[] | null {
  const t = text.trim();
  const m = /^(?:array|list_value)\s*\(([\s\S]*)\)$/i.exec(t) ?? /^\[([\s\S]*)\]$/.exec(t);
  if (!m) return null;
  const items = splitTopLevel(m[1] ?? "").map(stringLiteral);
  return items.every((v): v is string => v !== null) ? items : null;
}

/** `sql` with `replace` applied to its code only: string literals, quoted identifiers and comments kept as they are. */
export function mapCode(sql: string, replace: (code: string) => string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < sql.length; ) {
    const skipped = skipOpaque(sql, i);
    if (skipped === i) {
      i++;
      continue;
    }
    out += replace(sql.slice(from, i)) + sql.slice(i, skipped);
    from = i = skipped;
  }
  return out + replace(sql.slice(from));
}
