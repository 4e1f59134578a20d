/**
 * Databricks' type names (as `ai_query`'s returnType and responseFormat write them: `STRING`,
 * `ARRAY<FLOAT>`, `STRUCT<name: STRING, age INT>`) translated to DuckDB's. DuckDB spellings are
 * accepted as they are, so `VARCHAR`, `INTEGER[]` and `STRUCT(a INT)` work too.
 */
import { SqlTextError } from "./sql-text";

const SCALARS: Record<string, string> = {
  STRING: "VARCHAR",
  VARCHAR: "VARCHAR",
  TEXT: "VARCHAR",
  BOOLEAN: "BOOLEAN",
  BOOL: "BOOLEAN",
  TINYINT: "TINYINT",
  BYTE: "TINYINT",
  SMALLINT: "SMALLINT",
  SHORT: "SMALLINT",
  INT: "INTEGER",
  INTEGER: "INTEGER",
  BIGINT: "BIGINT",
  LONG: "BIGINT",
  FLOAT: "FLOAT",
  REAL: "FLOAT",
  DOUBLE: "DOUBLE",
  DATE: "DATE",
  TIMESTAMP: "TIMESTAMP",
  JSON: "JSON",
};

/** What the caller needs to know of a type besides its DuckDB spelling: whether the model's text is used as is. */
export interface ReturnType {
  duckdb: string;
  /** VARCHAR: the model's text is the value; anything else is parsed from the text as JSON. */
  isText: boolean;
}

export function toDuckDbType(databricks: string): ReturnType {
  const duckdb = translate(databricks.trim());
  return { duckdb, isText: duckdb === "VARCHAR" };
}

function translate(t: string): string {
  const decimal = /^(DECIMAL|NUMERIC|DEC)\s*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/i.exec(t);
  if (decimal) return `DECIMAL${decimal[2] ?? "(10,0)"}`;
  const scalar = SCALARS[t.toUpperCase()];
  if (scalar) return scalar;
  const generic = /^(ARRAY|STRUCT|MAP)\s*<([\s\S]*)>$/i.exec(t);
  if (generic) {
    const kind = generic[1]!.toUpperCase();
    const inner = splitAngle(generic[2]!);
    if (kind === "ARRAY" && inner.length === 1) return `${translate(inner[0]!)}[]`;
    if (kind === "MAP" && inner.length === 2) return `MAP(${translate(inner[0]!)}, ${translate(inner[1]!)})`;
    if (kind === "STRUCT") return `STRUCT(${inner.map(structField).join(", ")})`;
  }
  if (/^[A-Za-z]+(\[\])*$/.test(t) && SCALARS[t.replace(/\[\]/g, "").toUpperCase()])
    return `${SCALARS[t.replace(/\[\]/g, "").toUpperCase()]}${t.match(/\[\]/g)?.join("") ?? ""}`;
  if (/^STRUCT\s*\(/i.test(t) || /^MAP\s*\(/i.test(t)) return t;
  throw new SqlTextError(
    `Unsupported return type '${t}': use STRING, INT, BIGINT, FLOAT, DOUBLE, BOOLEAN, DATE, ` +
      "TIMESTAMP, DECIMAL(p,s), ARRAY<T>, MAP<K,V> or STRUCT<name: T, …>.",
  );
}

/** `name: TYPE` or `name TYPE` (with an optional trailing COMMENT '…', which DuckDB has no place for). */
function structField(field: string): string {
  const m = /^\s*(`[^`]+`|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\s*:?\s*([\s\S]+?)(\s+COMMENT\s+'[\s\S]*')?\s*$/i.exec(field);
  if (!m) throw new SqlTextError(`Malformed STRUCT field '${field.trim()}': expected 'name: TYPE'.`);
  const name = m[1]!.replace(/^[`"]|[`"]$/g, "");
  return `"${name.replaceAll('"', '""')}" ${translate(m[2]!)}`;
}

/** Splits `a, b<c, d>` at the commas outside angle brackets. */
function splitAngle(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "<" || text[i] === "(") depth++;
    else if (text[i] === ">" || text[i] === ")") depth--;
    else if (text[i] === "," && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim());
}
