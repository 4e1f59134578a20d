import type { UnifiedChatResponse, UnifiedToolCall, UnifiedUsage } from "../shared/unified";
import type { AnthropicMessageResponse, AnthropicUsage } from "./anthropic-response-schema";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason";

/** Anthropic's `input_tokens` excludes prompt-cache reads and writes; OpenAI's prompt_tokens counts them all. */
export function anthropicUsage(usage: AnthropicUsage): UnifiedUsage {
  return {
    promptTokens:
      (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
    completionTokens: usage.output_tokens ?? 0,
  };
}

/**
 * A Messages API response → the unified chat response: text blocks joined as the content, tool_use
 * blocks as tool calls (input serialised as OpenAI's JSON `arguments`). Thinking blocks are not part
 * of an OpenAI message and are left out.
 */
export function anthropicResponseToUnified(
  response: AnthropicMessageResponse,
  created = Math.floor(Date.now() / 1000),
  fallbackModel = "",
): UnifiedChatResponse {
  let text = "";
  let hasText = false;
  const toolCalls: UnifiedToolCall[] = [];
  for (const block of response.content) {
    if (block?.type === "text") {
      text += block.text;
      hasText = true;
    } else if (block?.type === "tool_use") {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return {
    id: response.id,
    model: response.model ?? fallbackModel,
    created,
    choices: [
      {
        index: 0,
        content: hasText || toolCalls.length === 0 ? text : null,
        ...(toolCalls.length ? { toolCalls } : {}),
        finishReason: mapAnthropicFinishReason(response.stop_reason),
      },
    ],
    ...(response.usage ? { usage: anthropicUsage(response.usage) } : {}),
  };
}
