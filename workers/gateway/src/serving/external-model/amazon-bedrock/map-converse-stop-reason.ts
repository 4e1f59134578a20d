import { finishReason, mapFinishReason } from "../shared/finish-reason";
import type { FinishReason } from "../shared/unified";

const STOP_REASONS = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
} as const;

/** Converse `stopReason` → `{unified, raw}`; an answer without one ended normally. */
export function mapConverseStopReason(reason: string | null | undefined): FinishReason {
  return mapFinishReason("amazon-bedrock", reason, STOP_REASONS) ?? finishReason("stop");
}
