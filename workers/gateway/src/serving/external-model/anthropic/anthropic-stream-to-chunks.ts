import { ApiError } from "@edgeserve/api";
import type { SseEvent } from "../shared/sse";
import { finishReason as finished } from "../shared/finish-reason";
import type { FinishReason, UnifiedChunk, UnifiedUsage } from "../shared/unified";
import { mapAnthropicStreamError } from "./anthropic-error";
import { anthropicUsage } from "./anthropic-response-to-unified";
import { type AnthropicUsage, anthropicStreamEventSchema } from "./anthropic-response-schema";
import { parseProviderJson } from "../shared/provider-json";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason";

/**
 * Anthropic stream events → unified chunks.
 *
 * Tool calls: Anthropic numbers content blocks (text and tool_use together), OpenAI numbers tool
 * calls on their own, so block `index` is mapped to the tool call's ordinal (a tool_use after a
 * text block is tool call 0, not 1). The block start gives id and name; `input_json_delta`s carry
 * the arguments; a tool with no input streams `{}` so clients always parse valid JSON.
 * Usage: input tokens from `message_start`, output tokens from the last `message_delta`.
 */
export async function* anthropicStreamToChunks(events: AsyncIterable<SseEvent>): AsyncGenerator<UnifiedChunk> {
  const toolOfBlock = new Map<number, { index: number; sentArguments: boolean }>();
  let usage: AnthropicUsage = {};
  let finishReason: FinishReason | null = null;

  for await (const raw of events) {
    if (!raw.data) continue;
    // Each event is checked against the schema of its type before it is read (see anthropic-response-schema.ts).
    const event = parseProviderJson(anthropicStreamEventSchema, raw.data, "anthropic", "a stream event");
    // null: ping, and event types added later; nothing to forward.
    switch (event?.type) {
      case "message_start":
        usage = { ...event.message.usage };
        yield { role: "assistant", content: "" };
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block?.type === "text") {
          if (block.text) yield { content: block.text };
        } else if (block?.type === "tool_use") {
          const tool = { index: toolOfBlock.size, sentArguments: false };
          toolOfBlock.set(event.index, tool);
          yield { toolCalls: [{ index: tool.index, id: block.id, name: block.name, arguments: "" }] };
          // Anthropic starts with `input: {}` and streams the input; a non-empty start input is the whole input.
          if (block.input && typeof block.input === "object" && Object.keys(block.input).length) {
            tool.sentArguments = true;
            yield { toolCalls: [{ index: tool.index, arguments: JSON.stringify(block.input) }] };
          }
        }
        break;
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta?.type === "text_delta") yield { content: delta.text };
        else if (delta?.type === "input_json_delta") {
          const tool = toolOfBlock.get(event.index);
          const partial = delta.partial_json;
          if (tool && partial) {
            tool.sentArguments = true;
            yield { toolCalls: [{ index: tool.index, arguments: partial }] };
          }
        }
        // thinking_delta / signature_delta / citations_delta: not part of an OpenAI message.
        break;
      }
      case "content_block_stop": {
        const tool = toolOfBlock.get(event.index);
        if (tool && !tool.sentArguments) {
          tool.sentArguments = true;
          yield { toolCalls: [{ index: tool.index, arguments: "{}" }] };
        }
        break;
      }
      case "message_delta":
        finishReason = mapAnthropicFinishReason(event.delta.stop_reason);
        // Cumulative counts; newer API versions repeat input counts here too.
        for (const [key, value] of Object.entries(event.usage ?? {}))
          if (typeof value === "number") (usage as Record<string, number>)[key] = value;
        break;
      case "message_stop": {
        yield { finishReason: finishReason ?? finished("stop") };
        const final: UnifiedUsage = anthropicUsage(usage);
        yield { usage: final };
        return;
      }
      case "error":
        throw mapAnthropicStreamError(event.error);
      default:
        break;
    }
  }
  throw new ApiError("BAD_GATEWAY", "The provider 'anthropic' ended its stream before message_stop.", { status: 502 });
}
