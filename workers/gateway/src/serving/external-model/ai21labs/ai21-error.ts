import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";

/**
 * AI21 errors are FastAPI-style: `{"detail": "…"}`, or for validation (422) `{"detail": [{loc, msg, type}]}`.
 * The message is pulled out here (the shared reader only knows string details) and mapped as usual.
 */
export function ai21ErrorMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { detail?: unknown };
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail))
      return body.detail
        .map(
          (d: { loc?: unknown[]; msg?: unknown }) =>
            (Array.isArray(d.loc) ? `${d.loc.filter((p) => p !== "body").join(".")}: ` : "") +
            String(d.msg ?? "invalid"),
        )
        .join("; ");
  } catch {
    // not JSON
  }
  return bodyText.slice(0, 500).trim() || "no details";
}

export function mapAi21Error(status: number, headers: Headers, bodyText: string): ApiError {
  return mapUpstreamError(status, headers, JSON.stringify({ message: ai21ErrorMessage(bodyText) }), "ai21labs");
}
