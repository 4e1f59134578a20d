import type { FinishReason } from "../shared/unified";
import type { AnthropicStopReason } from "./anthropic-response-schema";

/** Anthropic `stop_reason` → OpenAI `finish_reason`. */
export function mapAnthropicFinishReason(reason: AnthropicStopReason): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    case null:
    case undefined:
      return null;
    default:
      return "stop";
  }
}
