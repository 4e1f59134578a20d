import { mapFinishReason } from "../shared/finish-reason";
import type { FinishReason } from "../shared/unified";

const FINISH_REASONS = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
} as const;

/** AI21's finish reasons are OpenAI's names. */
export function mapAi21FinishReason(reason: string | null | undefined): FinishReason | null {
  return mapFinishReason("ai21labs", reason, FINISH_REASONS);
}
