import type { z } from "zod";

/**
 * Fields of the Databricks API that Edgeserve does not act on. Each is either accepted with no effect
 * (only where Databricks' own clients send it by default or commonly, so refusing it would break them)
 * or refused with a 400 naming it. Both are said in the field's OpenAPI description, which begins with
 * one of these two prefixes (docs/api-settings.md lists every field with its verdict).
 */
export const NO_EFFECT_PREFIX =
  "Accepted for compatibility with Databricks clients; has no effect on Edgeserve because";
export const REFUSED_PREFIX = "Refused with 400 INVALID_PARAMETER_VALUE:";

/** A field accepted and ignored; `because` finishes the sentence of its description. */
export function noEffect<T extends z.ZodType>(schema: T, because: string): T {
  return schema.describe(`${NO_EFFECT_PREFIX} ${because}`);
}

/**
 * A field refused whatever its value: the 400 names the field and gives `reason`, which says that
 * it is not supported on Edgeserve and what to do instead.
 */
export function refused<T extends z.ZodType>(schema: T, reason: string): T {
  return schema
    .superRefine((_, ctx) => ctx.addIssue({ code: "custom", message: reason }))
    .describe(`${REFUSED_PREFIX} ${reason}`);
}
