import { z } from "zod";
import { finishReason } from "../../external-model/shared/finish-reason";
import type {
  UnifiedChatResponse,
  UnifiedChunk,
  UnifiedToolCall,
  UnifiedUsage,
} from "../../external-model/shared/unified";

const usage = z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).optional();

/** Tool calls as newer models give them (OpenAI's form) or as older ones do (`{name, arguments}` object). */
const toolCall = z.union([
  z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) }),
  z.object({ name: z.string(), arguments: z.unknown() }),
]);

/**
 * What `env.AI.run` answers for a text-generation model (workers-types' AiTextGenerationOutput); a frame of its
 * stream too.
 */
export const workersAiOutput = z.object({
  response: z.string().nullish(),
  tool_calls: z.array(toolCall).optional(),
  usage,
});

type WorkersAiOutput = z.infer<typeof workersAiOutput>;

function toUsage(u: WorkersAiOutput["usage"]): UnifiedUsage | undefined {
  return u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens } : undefined;
}

function toToolCalls(calls: WorkersAiOutput["tool_calls"], requestId: string): UnifiedToolCall[] {
  return (calls ?? []).map((c, i) =>
    "id" in c
      ? { id: c.id, name: c.function.name, arguments: c.function.arguments }
      : {
          id: `call_${requestId}_${i}`,
          name: c.name,
          arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments ?? {}),
        },
  );
}

/** A whole answer → the unified chat response. Workers AI gives no finish reason: tool calls, else stop. */
export function workersAiToUnified(
  output: WorkersAiOutput,
  meta: { id: string; model: string; created: number },
): UnifiedChatResponse {
  const toolCalls = toToolCalls(output.tool_calls, meta.id);
  const unifiedUsage = toUsage(output.usage);
  return {
    ...meta,
    choices: [
      {
        index: 0,
        content: output.response ?? (toolCalls.length ? null : ""),
        ...(toolCalls.length ? { toolCalls } : {}),
        finishReason: toolCalls.length ? finishReason("tool_calls") : finishReason("stop"),
      },
    ],
    ...(unifiedUsage ? { usage: unifiedUsage } : {}),
  };
}

/** One frame of a Workers AI stream → unified chunks (text, tool calls, usage). */
export function workersAiFrameToChunks(frame: WorkersAiOutput, requestId: string, first: boolean): UnifiedChunk[] {
  const chunks: UnifiedChunk[] = [];
  if (frame.response)
    chunks.push({ index: 0, ...(first ? { role: "assistant" as const } : {}), content: frame.response });
  const toolCalls = toToolCalls(frame.tool_calls, requestId);
  if (toolCalls.length)
    chunks.push({
      index: 0,
      toolCalls: toolCalls.map((t, index) => ({ index, id: t.id, name: t.name, arguments: t.arguments })),
    });
  const u = toUsage(frame.usage);
  if (u) chunks.push({ usage: u });
  return chunks;
}
