import { wireFinishReason } from "./finish-reason";
import type {
  UnifiedChatResponse,
  UnifiedChunk,
  UnifiedCompletionResponse,
  UnifiedEmbeddingsResponse,
} from "./unified";
import { openAiUsage } from "./usage";

/** Unified → OpenAI `chat.completion`. */
export function toOpenAiChatCompletion(r: UnifiedChatResponse) {
  return {
    id: r.id,
    object: "chat.completion" as const,
    created: r.created,
    model: r.model,
    choices: r.choices.map((c) => ({
      index: c.index,
      message: {
        role: "assistant" as const,
        content: c.content,
        ...(c.toolCalls?.length
          ? {
              tool_calls: c.toolCalls.map((t) => ({
                id: t.id,
                type: "function" as const,
                function: { name: t.name, arguments: t.arguments },
              })),
            }
          : {}),
      },
      finish_reason: wireFinishReason(c.finishReason),
    })),
    ...(r.usage ? { usage: openAiUsage(r.usage) } : {}),
  };
}

/** Unified chunk → OpenAI `chat.completion.chunk` (without usage; the stream adds it once at the end). */
export function toOpenAiChunk(chunk: UnifiedChunk, meta: { id: string; model: string; created: number }) {
  const delta: Record<string, unknown> = {};
  if (chunk.role) delta.role = chunk.role;
  if (chunk.content !== undefined) delta.content = chunk.content;
  if (chunk.toolCalls?.length)
    delta.tool_calls = chunk.toolCalls.map((t) => ({
      index: t.index,
      ...(t.id ? { id: t.id, type: "function" } : {}),
      function: {
        ...(t.name !== undefined ? { name: t.name } : {}),
        ...(t.arguments !== undefined ? { arguments: t.arguments } : {}),
      },
    }));
  return {
    id: meta.id,
    object: "chat.completion.chunk" as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: chunk.index ?? 0, delta, finish_reason: wireFinishReason(chunk.finishReason) }],
  };
}

export function toOpenAiCompletion(r: UnifiedCompletionResponse) {
  return {
    id: r.id,
    object: "text_completion" as const,
    created: r.created,
    model: r.model,
    choices: r.choices.map((c) => ({ index: c.index, text: c.text, finish_reason: wireFinishReason(c.finishReason) })),
    ...(r.usage ? { usage: openAiUsage(r.usage) } : {}),
  };
}

export function toOpenAiEmbeddings(r: UnifiedEmbeddingsResponse) {
  return {
    object: "list" as const,
    model: r.model,
    data: r.embeddings.map((embedding, index) => ({ object: "embedding" as const, index, embedding })),
    ...(r.usage ? { usage: openAiUsage(r.usage, false) } : {}),
  };
}
