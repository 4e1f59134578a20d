import { ApiError } from "@edgeserve/api";
import { z } from "zod";

/**
 * Provider answers are read with lenient zod schemas: loose objects holding exactly the fields the
 * gateway reads, optional where providers omit them. A provider that changes or drops one of them is
 * a 502 naming the provider and the field, never a TypeError (500) further on.
 */

/** `choices[0].message.content` */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? `'${fieldPath(issue.path)}'` : "the body";
  if (issue.code === "invalid_type") {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    return received === "undefined"
      ? `${field} is missing (expected ${issue.expected})`
      : `${field} is ${received ?? "of another type"}, expected ${issue.expected}`;
  }
  if (issue.code === "invalid_union") return `${field} has none of the expected shapes`;
  return `${field}: ${issue.message.replace(/^Invalid input: /, "")}`;
}

/** The known variants of a `byType` schema, each with its `type` as a literal (so a `switch` narrows it). */
export type OfType<V extends Record<string, z.ZodType>> = {
  [T in keyof V & string]: { type: T } & z.output<V[T]>;
}[keyof V & string];

/**
 * An object told apart by its `type` (content blocks, stream events): the variant of a known type is
 * checked with its schema; a type the gateway does not read (added by the provider later) parses to
 * null, which readers skip, so such an addition never fails a call.
 */
export function byType<V extends Record<string, z.ZodType>>(variants: V): z.ZodType<OfType<V> | null> {
  return z.looseObject({ type: z.string() }).transform((value, ctx) => {
    const variant = variants[value.type];
    if (!variant) return null;
    const result = variant.safeParse(value);
    if (result.success) return { ...(result.data as object), type: value.type } as OfType<V>;
    for (const issue of result.error.issues)
      ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

export function providerFormatError(provider: string, what: string, detail: string): ApiError {
  return new ApiError("BAD_GATEWAY", `The provider '${provider}' sent ${what} this gateway cannot read: ${detail}.`, {
    status: 502,
  });
}

/** `value` checked against `schema`; a mismatch is a 502 naming the provider and the first field that differs. */
export function parseProviderValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  provider: string,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw providerFormatError(provider, what, describeIssue(result.error.issues[0]!));
}

/**
 * JSON text from a provider (a body, a stream event), parsed and checked. `check`, for values read on every
 * query or chunk, says what `schema.safeParse(value).success` would, without zod's copy of the value: a value
 * it passes is returned as parsed, and only one it refuses goes to the schema, for the error message naming
 * the field (and were a check ever stricter than its schema, the schema's answer stands).
 */
export function parseProviderJson<S extends z.ZodType>(
  schema: S,
  text: string,
  provider: string,
  what: string,
  check?: (value: unknown) => value is z.output<S>,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw providerFormatError(provider, what, `it is not JSON (${JSON.stringify(text.slice(0, 80))})`);
  }
  if (check?.(value)) return value;
  return parseProviderValue(schema, value, provider, what);
}

/** A provider's whole JSON answer. A body that breaks off rejects with the ApiError of fetchUpstream's body. */
export async function readProviderJson<S extends z.ZodType>(
  response: Response,
  schema: S,
  provider: string,
  what = "a response",
): Promise<z.output<S>> {
  return parseProviderJson(schema, await response.text(), provider, what);
}
