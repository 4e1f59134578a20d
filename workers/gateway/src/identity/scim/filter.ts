import { errors } from "@edgeserve/api";

/**
 * One `attribute eq value` comparison, the only SCIM filter Edgeserve supports (what clients use to look up by name).
 */
export interface EqFilter {
  /** The attribute as given, lower-cased (SCIM attribute names are case-insensitive). */
  attribute: string;
  value: string | boolean | null;
}

const EQ_FILTER = /^\s*([A-Za-z][\w.]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|null)\s*$/i;

/**
 * Parses `userName eq "a@b.c"` (the operator and the attribute name are case-insensitive).
 * `allowed` lists the attributes that may be filtered on, lower-cased.
 */
export function parseEqFilter(filter: string, allowed: readonly string[], field = "filter"): EqFilter {
  const match = EQ_FILTER.exec(filter);
  if (!match) {
    throw errors.invalid(
      `Invalid value for '${field}': only filters of the form 'attribute eq "value"' are supported.`,
    );
  }
  const attribute = match[1]!.toLowerCase();
  if (!allowed.includes(attribute)) {
    throw errors.invalid(`Invalid value for '${field}': cannot filter on '${match[1]}'.`);
  }
  const raw = match[2]!;
  let value: string | boolean | null;
  if (raw.startsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      throw errors.invalid(`Invalid value for '${field}': bad string literal ${raw}.`);
    }
  } else {
    value = raw.toLowerCase() === "null" ? null : raw.toLowerCase() === "true";
  }
  return { attribute, value };
}
