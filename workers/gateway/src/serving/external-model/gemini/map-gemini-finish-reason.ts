import type { FinishReason } from "../shared/unified";

const CONTENT_FILTER = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"]);

/**
 * Gemini `finishReason` → OpenAI's. STOP with function calls is `tool_calls` (Gemini says STOP);
 * MAX_TOKENS is `length`; the safety/recitation family is `content_filter`; anything else
 * (OTHER, MALFORMED_FUNCTION_CALL, …) ended the answer too, so `stop`. No reason yet: null.
 */
export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (!reason) return null;
  if (reason === "MAX_TOKENS") return "length";
  if (CONTENT_FILTER.has(reason)) return "content_filter";
  return hasToolCalls ? "tool_calls" : "stop";
}
