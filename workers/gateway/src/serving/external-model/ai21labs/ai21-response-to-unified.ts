import type { UnifiedChatResponse, UnifiedCompletionResponse, UnifiedUsage } from "../shared/unified";
import type { Ai21ChatResponse, Ai21Usage } from "./ai21-response-schema";
import { mapAi21FinishReason } from "./map-ai21-finish-reason";

export function ai21Usage(usage: Ai21Usage | null | undefined): UnifiedUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== "number") return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 };
}

export function ai21Arguments(args: string | Record<string, unknown> | undefined): string {
  if (args === undefined) return "";
  return typeof args === "string" ? args : JSON.stringify(args);
}

/** AI21 chat response → unified (AI21 sends no `created`: the time of arrival is used). */
export function ai21ResponseToUnified(
  response: Ai21ChatResponse,
  fallbackModel: string,
  now = Date.now(),
): UnifiedChatResponse {
  return {
    id: response.id,
    model: response.model ?? fallbackModel,
    created: Math.floor(now / 1000),
    choices: response.choices.map((c) => ({
      index: c.index,
      content: c.message.content ?? null,
      ...(c.message.tool_calls?.length
        ? {
            toolCalls: c.message.tool_calls.map((t) => ({
              id: t.id,
              name: t.function.name,
              arguments: ai21Arguments(t.function.arguments),
            })),
          }
        : {}),
      finishReason: mapAi21FinishReason(c.finish_reason),
    })),
    usage: ai21Usage(response.usage),
  };
}

/** The same answer as a text completion (llm/v1/completions is served by AI21's chat). */
export function ai21ResponseToCompletion(
  response: Ai21ChatResponse,
  fallbackModel: string,
  now = Date.now(),
): UnifiedCompletionResponse {
  const chat = ai21ResponseToUnified(response, fallbackModel, now);
  return {
    id: chat.id,
    model: chat.model,
    created: chat.created,
    choices: chat.choices.map((c) => ({ index: c.index, text: c.content ?? "", finishReason: c.finishReason })),
    usage: chat.usage,
  };
}
