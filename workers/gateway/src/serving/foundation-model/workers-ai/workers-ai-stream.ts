import { finishReason } from "../../external-model/shared/finish-reason";
import { parseProviderJson } from "../../external-model/shared/provider-json";
import { readSseEvents } from "../../external-model/shared/sse";
import type { UnifiedChunk } from "../../external-model/shared/unified";
import { workersAiFrameToChunks, workersAiOutput } from "./workers-ai-output";

/**
 * A Workers AI stream (SSE frames `data: {"response": "…"}`, one with `usage`, then `data: [DONE]`) as unified
 * chunks. Workers AI sends no finish reason: the last chunk says `tool_calls` if the model called one, else `stop`.
 */
export async function* workersAiStreamChunks(
  body: ReadableStream<Uint8Array>,
  requestId: string,
): AsyncGenerator<UnifiedChunk> {
  let first = true;
  let sawToolCalls = false;
  for await (const event of readSseEvents(body)) {
    if (event.data === "[DONE]") break;
    const frame = parseProviderJson(workersAiOutput, event.data, "workers-ai", "a stream frame");
    for (const chunk of workersAiFrameToChunks(frame, requestId, first)) {
      if (chunk.content !== undefined) first = false;
      if (chunk.toolCalls) sawToolCalls = true;
      yield chunk;
    }
  }
  yield { index: 0, finishReason: finishReason(sawToolCalls ? "tool_calls" : "stop") };
}
