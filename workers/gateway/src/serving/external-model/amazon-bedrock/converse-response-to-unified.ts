import type { UnifiedChatResponse, UnifiedToolCall, UnifiedUsage } from "../shared/unified";
import type { ConverseResponse, ConverseUsage } from "./bedrock-response-schema";
import { mapConverseStopReason } from "./map-converse-stop-reason";

export function converseUsage(usage: ConverseUsage | undefined): UnifiedUsage | undefined {
  if (typeof usage?.inputTokens !== "number") return undefined;
  return { promptTokens: usage.inputTokens, completionTokens: usage.outputTokens ?? 0 };
}

/** A Converse response → unified: text blocks joined, `toolUse` blocks as tool calls (input as JSON text). */
export function converseResponseToUnified(
  r: ConverseResponse,
  meta: { id: string; model: string; created: number },
): UnifiedChatResponse {
  const blocks = r.output.message?.content ?? [];
  const text = blocks.map((b) => b.text ?? "").join("");
  const toolCalls: UnifiedToolCall[] = blocks.flatMap((b) =>
    b.toolUse
      ? [{ id: b.toolUse.toolUseId, name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}) }]
      : [],
  );
  const usage = converseUsage(r.usage);
  return {
    ...meta,
    choices: [
      {
        index: 0,
        content: text || (toolCalls.length ? null : ""),
        ...(toolCalls.length ? { toolCalls } : {}),
        finishReason: mapConverseStopReason(r.stopReason),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}
