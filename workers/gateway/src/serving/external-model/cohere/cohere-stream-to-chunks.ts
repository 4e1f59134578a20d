import type { SseEvent } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { cohereUsage, type CohereUsage } from "./cohere-response-to-unified";
import { mapCohereFinishReason } from "./map-cohere-finish-reason";

/** The parts of Cohere v2 stream events we read (the event's `type` is also its SSE event name). */
export interface CohereStreamEvent {
  type: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string;
    usage?: CohereUsage;
  };
}

/** One Cohere v2 stream event → the unified chunks it carries (none for bookkeeping events). */
export function cohereEventToChunks(event: CohereStreamEvent): UnifiedChunk[] {
  const message = event.delta?.message;
  switch (event.type) {
    case "message-start":
      return [{ role: "assistant", content: "" }];
    case "content-delta":
      // thinking deltas (`content.thinking`) are Cohere's reasoning and not part of the answer
      return typeof message?.content?.text === "string" && message.content.text ? [{ content: message.content.text }] : [];
    case "tool-plan-delta":
      return message?.tool_plan ? [{ content: message.tool_plan }] : [];
    case "tool-call-start": {
      const call = message?.tool_calls;
      return [{ toolCalls: [{ index: event.index ?? 0, id: call?.id ?? "", name: call?.function?.name ?? "", arguments: call?.function?.arguments ?? "" }] }];
    }
    case "tool-call-delta": {
      const args = message?.tool_calls?.function?.arguments;
      return args ? [{ toolCalls: [{ index: event.index ?? 0, arguments: args }] }] : [];
    }
    case "message-end": {
      const usage = cohereUsage(event.delta?.usage);
      return [{ finishReason: mapCohereFinishReason(event.delta?.finish_reason), ...(usage ? { usage } : {}) }];
    }
    default:
      // content-start/-end, tool-call-end, citation-start/-end, debug: nothing for OpenAI clients
      return [];
  }
}

/** A Cohere v2 SSE stream → unified chunks. A tool call without arguments gets `{}` when it ends. */
export async function* cohereStreamToChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<UnifiedChunk> {
  const argumentsSeen = new Map<number, boolean>();
  for await (const sse of events) {
    if (!sse.data || sse.data === "[DONE]") continue;
    const event = JSON.parse(sse.data) as CohereStreamEvent;
    if (!event.type && sse.event) event.type = sse.event;
    if (event.type === "tool-call-end" && argumentsSeen.get(event.index ?? 0) === false) {
      yield { toolCalls: [{ index: event.index ?? 0, arguments: "{}" }] };
      continue;
    }
    for (const chunk of cohereEventToChunks(event)) {
      for (const t of chunk.toolCalls ?? []) {
        if (t.arguments) argumentsSeen.set(t.index, true);
        else if (!argumentsSeen.has(t.index)) argumentsSeen.set(t.index, false);
      }
      yield chunk;
    }
  }
}
