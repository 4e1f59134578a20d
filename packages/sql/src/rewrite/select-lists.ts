/**
 * The items of every SELECT list in a statement (subqueries' included), as offset ranges: enough for the
 * rewrite to see which AI function calls are whole select-list items of the same SELECT, whose calls can
 * be sent together (rewrite.ts). Reads only SQL's lexical structure, like sql-text.ts.
 */
import { skipOpaque } from "./sql-text";

export interface Range {
  start: number;
  end: number;
}

/** Words that end a select list at its own nesting level. */
const LIST_END = new Set([
  "from",
  "where",
  "group",
  "having",
  "window",
  "qualify",
  "order",
  "limit",
  "offset",
  "union",
  "except",
  "intersect",
  "into",
]);

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Each SELECT list's items, in order; an item's range is its raw text (alias included, untrimmed). */
export function selectLists(sql: string): Range[][] {
  const lists: Range[][] = [];
  for (let i = 0; i < sql.length; ) {
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const word = wordAt(sql, i);
    if (word === null) {
      i++;
      continue;
    }
    if (word.toLowerCase() === "select") lists.push(listAfter(sql, i + word.length));
    i += word.length;
  }
  return lists;
}

function wordAt(sql: string, i: number): string | null {
  if (i > 0 && /[A-Za-z0-9_$.]/.test(sql[i - 1]!)) return null;
  WORD.lastIndex = i;
  return WORD.exec(sql)?.[0] ?? null;
}

function listAfter(sql: string, from: number): Range[] {
  const items: Range[] = [];
  let depth = 0;
  let start = from;
  let i = from;
  while (i < sql.length) {
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = sql[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && c === ";") break;
    else if (depth === 0 && c === ",") {
      items.push({ start, end: i });
      start = i + 1;
    } else if (depth === 0) {
      const word = wordAt(sql, i);
      if (word !== null) {
        if (LIST_END.has(word.toLowerCase())) break;
        i += word.length;
        continue;
      }
    }
    i++;
  }
  items.push({ start, end: i });
  return items;
}

/** Whether `call` is the whole of `item`: nothing before it, at most an alias (`AS x`, `x`, `"x"`) after it. */
export function isWholeItem(sql: string, item: Range, call: Range): boolean {
  if (sql.slice(item.start, call.start).trim() !== "") return false;
  return /^\s*(?:(?:as\s+)?(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+"))?\s*$/i.test(sql.slice(call.end, item.end));
}
