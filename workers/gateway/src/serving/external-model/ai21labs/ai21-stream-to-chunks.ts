import { ApiError } from "@edgeserve/api";
import type { SseEvent } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { ai21Arguments, ai21Usage } from "./ai21-response-to-unified";
import { type Ai21ChatChunk, ai21ChatChunkSchema } from "./ai21-response-schema";
import { parseProviderJson } from "../shared/provider-json";
import { mapAi21FinishReason } from "./map-ai21-finish-reason";

/** One AI21 stream chunk → unified chunks (text or tool-call deltas, the finish reason, usage on the last chunk). */
export function ai21ChunkToUnified(chunk: Ai21ChatChunk): UnifiedChunk[] {
  const out: UnifiedChunk[] = [];
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta ?? {};
    const step: UnifiedChunk = { index: choice.index ?? 0 };
    if (delta.role) step.role = "assistant";
    if (typeof delta.content === "string") step.content = delta.content;
    if (delta.tool_calls?.length)
      step.toolCalls = delta.tool_calls.map((t, i) => ({
        index: t.index ?? i,
        ...(t.id ? { id: t.id } : {}),
        ...(t.function?.name !== undefined ? { name: t.function.name } : {}),
        ...(t.function?.arguments !== undefined ? { arguments: ai21Arguments(t.function.arguments) } : {}),
      }));
    if (choice.finish_reason) step.finishReason = mapAi21FinishReason(choice.finish_reason);
    if (step.role || step.content !== undefined || step.toolCalls || step.finishReason !== undefined) out.push(step);
  }
  const usage = ai21Usage(chunk.usage);
  if (usage) out.push({ usage });
  return out;
}

/**
 * AI21's SSE stream (`data: {chunk}` … `data: [DONE]`) → unified chunks; a stream cut before `[DONE]` or a
 * finish_reason fails.
 */
export async function* ai21StreamToChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<UnifiedChunk> {
  let finished = false;
  for await (const event of events) {
    if (event.data === "[DONE]") return;
    const chunk = parseProviderJson(ai21ChatChunkSchema, event.data, "ai21labs", "a stream event");
    if (chunk.detail !== undefined && !chunk.choices)
      throw new ApiError(
        "BAD_GATEWAY",
        `The provider 'ai21labs' failed mid-stream: ${JSON.stringify(chunk.detail).slice(0, 300)}`,
        { status: 502, cause: `The provider 'ai21labs' sent the stream event: ${event.data}` },
      );
    for (const step of ai21ChunkToUnified(chunk)) {
      if (step.finishReason !== undefined) finished = true;
      yield step;
    }
  }
  if (!finished)
    throw new ApiError(
      "BAD_GATEWAY",
      "The provider 'ai21labs' ended its stream before it was complete (no finish_reason, no [DONE]).",
      { status: 502 },
    );
}
