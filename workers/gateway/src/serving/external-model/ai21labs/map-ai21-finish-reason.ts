import type { FinishReason } from "../shared/unified";

/** AI21's finish reasons are OpenAI's names ("stop", "length", "tool_calls"); anything unknown ends as "stop". */
export function mapAi21FinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case undefined:
    case null:
      return null;
    case "length":
      return "length";
    case "tool_calls":
      return "tool_calls";
    case "content_filter":
      return "content_filter";
    default:
      return "stop";
  }
}
