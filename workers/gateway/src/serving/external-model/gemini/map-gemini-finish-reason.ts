import { mapFinishReason } from "../shared/finish-reason";
import type { FinishReason, UnifiedFinishReason } from "../shared/unified";

const CONTENT_FILTER = ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"];
const FINISH_REASONS: Record<string, UnifiedFinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  ...Object.fromEntries(CONTENT_FILTER.map((reason) => [reason, "content_filter"])),
  // Ended the answer without one of OpenAI's meanings.
  OTHER: "other",
  MALFORMED_FUNCTION_CALL: "other",
  FINISH_REASON_UNSPECIFIED: "other",
};

/**
 * Gemini `finishReason` → `{unified, raw}`. Gemini says STOP (or another reason that is no limit or
 * filter) when it calls functions: that is `tool_calls`. No reason yet: null. Logged as "gemini", the API
 * both google-cloud-vertex-ai and palm speak.
 */
export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason | null {
  const mapped = mapFinishReason("gemini", reason, FINISH_REASONS);
  const endedCallingTools = mapped?.unified === "stop" || mapped?.unified === "other";
  return mapped && hasToolCalls && endedCallingTools ? { ...mapped, unified: "tool_calls" } : mapped;
}
