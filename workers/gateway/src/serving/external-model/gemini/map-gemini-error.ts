import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";

/**
 * Google errors are `{"error":{"code","message","status","details"}}` (mapUpstreamError reads
 * `error.message`). One twist: the Gemini API answers an invalid API key with 400 INVALID_ARGUMENT
 * (reason API_KEY_INVALID) — that is the endpoint's credential, not the caller's request, so it is
 * mapped like a 401.
 */
export function mapGeminiError(status: number, headers: Headers, bodyText: string, provider: string): ApiError {
  if (status === 400 && /API_KEY_INVALID|API key not valid|API key expired/.test(bodyText))
    return mapUpstreamError(401, headers, bodyText, provider);
  return mapUpstreamError(status, headers, bodyText, provider);
}
