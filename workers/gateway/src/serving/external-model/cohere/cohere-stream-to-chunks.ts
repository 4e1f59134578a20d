import { ApiError } from "@edgeserve/api";
import type { SseEvent } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { z } from "zod";
import { parseProviderJson, parseProviderValue } from "../shared/provider-json";
import { cohereUsage } from "./cohere-response-to-unified";
import { type CohereStreamEvent, cohereStreamEventSchema } from "./cohere-response-schema";
import { mapCohereFinishReason } from "./map-cohere-finish-reason";

const untypedEvent = z.looseObject({ type: z.string().optional() });

/** One Cohere v2 stream event → the unified chunks it carries (none for bookkeeping events). */
function cohereEventToChunks(event: CohereStreamEvent): UnifiedChunk[] {
  switch (event.type) {
    case "message-start":
      return [{ role: "assistant", content: "" }];
    case "content-delta": {
      // thinking deltas (`content.thinking`) are Cohere's reasoning and not part of the answer
      const text = event.delta.message.content.text;
      return text ? [{ content: text }] : [];
    }
    case "tool-plan-delta":
      return event.delta.message.tool_plan ? [{ content: event.delta.message.tool_plan }] : [];
    case "tool-call-start": {
      const call = event.delta.message.tool_calls;
      return [
        {
          toolCalls: [
            {
              index: event.index ?? 0,
              id: call.id,
              name: call.function.name,
              arguments: call.function.arguments ?? "",
            },
          ],
        },
      ];
    }
    case "tool-call-delta": {
      const args = event.delta.message.tool_calls.function.arguments;
      return args ? [{ toolCalls: [{ index: event.index ?? 0, arguments: args }] }] : [];
    }
    case "message-end": {
      const usage = cohereUsage(event.delta?.usage);
      return [{ finishReason: mapCohereFinishReason(event.delta?.finish_reason), ...(usage ? { usage } : {}) }];
    }
    case "tool-call-end":
      // handled by cohereStreamToChunks (a tool call that streamed no arguments); content-start/-end,
      // citation-start/-end and debug events parse to null and never get here
      return [];
  }
}

/**
 * A Cohere v2 SSE stream → unified chunks. A tool call without arguments gets `{}` when it ends; a stream cut before
 * `message-end` fails.
 */
export async function* cohereStreamToChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<UnifiedChunk> {
  const argumentsSeen = new Map<number, boolean>();
  for await (const sse of events) {
    if (!sse.data || sse.data === "[DONE]") continue;
    // The type may be given only as the SSE event name; the event is checked against the schema of its type.
    const raw = parseProviderJson(untypedEvent, sse.data, "cohere", "a stream event");
    const event = parseProviderValue(
      cohereStreamEventSchema,
      { ...raw, type: raw.type ?? sse.event },
      "cohere",
      "a stream event",
    );
    if (!event) continue;
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
    if (event.type === "message-end") return;
  }
  throw new ApiError("BAD_GATEWAY", "The provider 'cohere' ended its stream before message-end.", { status: 502 });
}
