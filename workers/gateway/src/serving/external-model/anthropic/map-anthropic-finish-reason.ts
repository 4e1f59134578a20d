import { mapFinishReason } from "../shared/finish-reason";
import type { FinishReason } from "../shared/unified";
import type { AnthropicStopReason } from "./anthropic-response-schema";

const STOP_REASONS = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
} as const;

/** Anthropic `stop_reason` → `{unified, raw}`. */
export function mapAnthropicFinishReason(reason: AnthropicStopReason): FinishReason | null {
  return mapFinishReason("anthropic", reason, STOP_REASONS);
}
