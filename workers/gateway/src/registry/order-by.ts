import { errors } from "@edgeserve/api";

export interface OrderTerm<K extends string> {
  key: K;
  descending: boolean;
}

/**
 * Parses MLflow `order_by` terms (`name ASC`, `last_updated_timestamp DESC`); `keys` maps each
 * accepted column name (MLflow has aliases, e.g. `timestamp`) to a sort key.
 */
export function parseOrderBy<K extends string>(
  terms: string[] | undefined,
  keys: Record<string, K>,
  fallback: OrderTerm<K>[],
): OrderTerm<K>[] {
  if (!terms || terms.length === 0) return fallback;
  const parsed = terms.map((term) => {
    const match = /^\s*([A-Za-z_]+)(?:\s+(ASC|DESC))?\s*$/i.exec(term);
    const key = match ? keys[match[1]!] : undefined;
    if (!match || !key)
      throw errors.invalid(
        `Invalid value for 'order_by': '${term}'. Supported: ` +
          `${Object.keys(keys).join(", ")}, each optionally ASC or DESC.`,
      );
    return { key, descending: match[2]?.toUpperCase() === "DESC" };
  });
  return [...parsed, ...fallback.filter((f) => !parsed.some((p) => p.key === f.key))];
}

/** A comparator sorting by the terms in order. */
export function compareBy<T, K extends string>(
  terms: OrderTerm<K>[],
  valueAt: (item: T, key: K) => string | number,
): (a: T, b: T) => number {
  return (a, b) => {
    for (const { key, descending } of terms) {
      const x = valueAt(a, key);
      const y = valueAt(b, key);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}
