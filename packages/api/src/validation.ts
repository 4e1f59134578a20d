import type { z } from "zod";
import { ApiError } from "./errors";

/** `config.served_entities[0].name` from a zod issue path. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
        .map((k) => `'${where ? `${where}.` : ""}${k}'`)
        .join(", ")}: not supported on Edgeserve; leave ${issue.keys.length > 1 ? "them" : "it"} out.`;
    case "invalid_type":
      return issue.input === undefined
        ? `Missing required field '${where}'.`
        : `Invalid value for '${where}': ${issue.message}.`;
    default:
      return where ? `Invalid value for '${where}': ${issue.message}.` : `${issue.message}.`;
  }
}

/** Turns a zod failure into one INVALID_PARAMETER_VALUE naming the first offending field. */
function validationError(error: z.ZodError): ApiError {
  const first = error.issues[0];
  const message = first ? describeIssue(first) : "Invalid request.";
  const more =
    error.issues.length > 1 ? ` (${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return new ApiError("INVALID_PARAMETER_VALUE", message + more);
}

/** Parses `value` with `schema`, throwing a Databricks-style 400 on failure. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  // reportInput: zod 4 leaves `input` off issues by default, and it tells a missing field from a wrong type.
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw validationError(result.error);
  return result.data;
}
