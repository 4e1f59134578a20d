import { errors } from "@edgeserve/api";

export type Comparator = "=" | "!=" | "LIKE" | "ILIKE" | "IN";
export interface FilterClause {
  field: string;
  comparator: Comparator;
  values: string[];
}

const CLAUSE =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=|!=|\bLIKE\b|\bILIKE\b|\bIN\b)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\(\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?:\s*,\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))*\s*\))\s*/i;
const QUOTED = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;

function unquote(literal: string): string[] {
  return [...literal.matchAll(QUOTED)].map((m) => (m[1] ?? m[2]!).replace(/\\(.)/g, "$1"));
}

/**
 * Parses the subset of MLflow's search filter this registry supports: clauses joined by AND,
 * each `<field> <comparator> <string literal>` (IN takes a parenthesised list). `allowed` maps each
 * searchable field to its comparators; anything else is a 400 naming the problem.
 */
export function parseSearchFilter(
  filter: string | undefined,
  allowed: Record<string, readonly Comparator[]>,
): FilterClause[] {
  if (filter === undefined || filter.trim() === "") return [];
  const clauses: FilterClause[] = [];
  let rest = filter;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match)
      throw errors.invalid(
        `Invalid value for 'filter': cannot parse '${rest.trim().slice(0, 100)}'. ` +
          `Supported: ${describe(allowed)} joined by AND.`,
      );
    const field = match[1]!;
    const comparator = match[2]!.toUpperCase() as Comparator;
    if (!(field in allowed))
      throw errors.invalid(`Invalid value for 'filter': cannot search by '${field}'. Supported: ${describe(allowed)}.`);
    if (!allowed[field]!.includes(comparator))
      throw errors.invalid(
        `Invalid value for 'filter': '${field}' does not support ${comparator}. Supported: ${describe(allowed)}.`,
      );
    const isList = match[3]!.startsWith("(");
    if (isList !== (comparator === "IN"))
      throw errors.invalid(
        `Invalid value for 'filter': ${comparator} ${isList ? "does not take" : "needs"} a parenthesised list.`,
      );
    clauses.push({ field, comparator, values: unquote(match[3]!) });
    rest = rest.slice(match[0].length);
    if (rest.trim() === "") return clauses;
    const and = /^AND\s+/i.exec(rest);
    if (!and) throw errors.invalid(`Invalid value for 'filter': expected AND before '${rest.trim().slice(0, 100)}'.`);
    rest = rest.slice(and[0].length);
  }
}

function describe(allowed: Record<string, readonly Comparator[]>): string {
  return Object.entries(allowed)
    .map(([field, comparators]) => `${field} ${comparators.join("|")}`)
    .join(", ");
}

/** Does `value` match an SQL LIKE pattern (`%` any run, `_` one character)? */
function matchesLike(value: string, pattern: string, caseInsensitive: boolean): boolean {
  const regex = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/%/g, ".*")
    .replace(/_/g, ".");
  return new RegExp(`^${regex}$`, caseInsensitive ? "is" : "s").test(value);
}

/** Does a row's field value satisfy one clause? */
export function matchesClause(value: string, clause: FilterClause): boolean {
  switch (clause.comparator) {
    case "=":
      return value === clause.values[0];
    case "!=":
      return value !== clause.values[0];
    case "LIKE":
      return matchesLike(value, clause.values[0]!, false);
    case "ILIKE":
      return matchesLike(value, clause.values[0]!, true);
    case "IN":
      return clause.values.includes(value);
  }
}
