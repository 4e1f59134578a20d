import { ApiError } from "@edgeserve/api";
import type { FinishReason } from "../shared/unified";

/**
 * Cohere's `finish_reason` → OpenAI's. `ERROR` means the generation failed upstream: that is a
 * provider failure (502), not an answer.
 */
export function mapCohereFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "COMPLETE":
    case "STOP_SEQUENCE":
      return "stop";
    case "MAX_TOKENS":
    case "ERROR_LIMIT":
      return "length";
    case "TOOL_CALL":
      return "tool_calls";
    case "ERROR_TOXIC":
      return "content_filter";
    case "ERROR":
      throw new ApiError("BAD_GATEWAY", "The provider 'cohere' reported an error while generating the answer (finish_reason ERROR).", { status: 502 });
    default:
      return "stop";
  }
}
