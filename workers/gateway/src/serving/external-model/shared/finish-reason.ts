import type { FinishReason, UnifiedFinishReason } from "./unified";

/** The finish_reason values OpenAI-format clients (and Databricks' own) know. */
export type WireFinishReason = Exclude<UnifiedFinishReason, "other">;

export function finishReason(unified: UnifiedFinishReason, raw?: string): FinishReason {
  return { unified, raw };
}

/**
 * A provider's own finish reason → `{unified, raw}` by the provider's table; null when it gave none.
 * A value missing from the table (one the provider added later) is "other" and is written to the
 * service log with the provider's name, so a new value is noticed without reading payloads.
 */
export function mapFinishReason(
  provider: string,
  raw: string | null | undefined,
  known: Readonly<Record<string, UnifiedFinishReason>>,
): FinishReason | null {
  if (raw === null || raw === undefined) return null;
  const unified = Object.hasOwn(known, raw) ? known[raw]! : undefined;
  if (unified) return { unified, raw };
  console.warn(JSON.stringify({ type: "unknown_finish_reason", provider, raw }));
  return { unified: "other", raw };
}

/**
 * The finish_reason sent on the wire: the unified value, with "other" sent as "stop", what clients
 * always got for it (OpenAI's and Databricks' clients know no "other"). The raw value stays out of the
 * answer so its shape never depends on the provider.
 */
export function wireFinishReason(reason: FinishReason | null | undefined): WireFinishReason | null {
  if (!reason) return null;
  return reason.unified === "other" ? "stop" : reason.unified;
}
