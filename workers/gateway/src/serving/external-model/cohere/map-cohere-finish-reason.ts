import { ApiError } from "@edgeserve/api";
import { finishReason, mapFinishReason } from "../shared/finish-reason";
import type { FinishReason } from "../shared/unified";

const FINISH_REASONS = {
  COMPLETE: "stop",
  STOP_SEQUENCE: "stop",
  MAX_TOKENS: "length",
  ERROR_LIMIT: "length",
  TOOL_CALL: "tool_calls",
  ERROR_TOXIC: "content_filter",
} as const;

/**
 * Cohere's `finish_reason` → `{unified, raw}`; an answer without one ended normally. `ERROR` means the
 * generation failed upstream: that is a provider failure (502), not an answer.
 */
export function mapCohereFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === "ERROR")
    throw new ApiError(
      "BAD_GATEWAY",
      "The provider 'cohere' reported an error while generating the answer (finish_reason ERROR).",
      { status: 502 },
    );
  return mapFinishReason("cohere", reason, FINISH_REASONS) ?? finishReason("stop");
}
