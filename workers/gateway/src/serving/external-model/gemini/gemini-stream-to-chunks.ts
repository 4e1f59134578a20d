import { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";
import { finishReason } from "../shared/finish-reason";
import type { UnifiedChunk, UnifiedUsage } from "../shared/unified";
import { candidateParts, geminiUsage, toolCallId } from "./gemini-response-to-unified";
import type { GeminiResponse } from "./gemini-response-schema";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

/**
 * `streamGenerateContent?alt=sse` events (each a whole GenerateContentResponse with the next piece of
 * text; a function call arrives whole in one event) → unified chunks: the role first, text deltas,
 * one tool-call delta per function call (id, name and the complete arguments), the finish reason,
 * and last the usage (Gemini repeats cumulative `usageMetadata`; the last one counts).
 */
export async function* geminiStreamToChunks(
  events: AsyncIterable<GeminiResponse>,
  options: { id: string; provider: string },
): AsyncGenerator<UnifiedChunk> {
  const state = new Map<number, { tools: number }>();
  let usage: UnifiedUsage | undefined;
  let finished = false;
  for await (const event of events) {
    if (event.error) {
      const status = typeof event.error.code === "number" ? event.error.code : 500;
      throw mapUpstreamError(status, new Headers(), JSON.stringify({ error: event.error }), options.provider);
    }
    usage = geminiUsage(event.usageMetadata) ?? usage;
    const candidates = event.candidates ?? [];
    if (!candidates.length && event.promptFeedback?.blockReason) {
      finished = true;
      yield {
        index: 0,
        role: "assistant",
        finishReason: finishReason("content_filter", event.promptFeedback.blockReason),
      };
      continue;
    }
    for (const [position, candidate] of candidates.entries()) {
      const index = candidate.index ?? position;
      let s = state.get(index);
      if (!s) {
        s = { tools: 0 };
        state.set(index, s);
        yield { index, role: "assistant", content: "" };
      }
      const { text, calls } = candidateParts(candidate);
      if (text) yield { index, content: text };
      if (calls.length) {
        yield {
          index,
          toolCalls: calls.map((c) => {
            const n = s.tools++;
            return { index: n, id: toolCallId(options.id, index, n), name: c.name, arguments: JSON.stringify(c.args) };
          }),
        };
      }
      if (candidate.finishReason) {
        finished = true;
        yield { index, finishReason: mapGeminiFinishReason(candidate.finishReason, s.tools > 0) };
      }
    }
  }
  // The last event carries the finish reason: a stream that ends without one was cut off.
  if (!finished)
    throw new ApiError("BAD_GATEWAY", `The provider '${options.provider}' ended its stream before a finishReason.`, {
      status: 502,
    });
  if (usage) yield { usage };
}
