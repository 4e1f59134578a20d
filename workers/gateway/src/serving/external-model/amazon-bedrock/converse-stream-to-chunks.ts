import type { UnifiedChunk } from "../shared/unified";
import type { EventStreamMessage } from "./aws-event-stream";
import { mapBedrockStreamException } from "./bedrock-errors";
import { converseUsage, type ConverseUsage } from "./converse-response-to-unified";
import { mapConverseStopReason } from "./map-converse-stop-reason";

/** Payloads of ConverseStream events (the event's name is the `:event-type` header). */
export interface ConverseStreamPayload {
  role?: string;
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId: string; name: string } };
  delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: unknown };
  stopReason?: string;
  usage?: ConverseUsage;
}

const utf8 = new TextDecoder();

/**
 * ConverseStream messages → unified chunks. Converse numbers content blocks (text and tool use
 * together); OpenAI numbers tool calls alone, so each toolUse block gets the next tool index.
 * Usage arrives in the `metadata` event after `messageStop`. An `exception` message throws the
 * mapped error: before the first chunk it becomes the HTTP status, later an error event.
 */
export async function* converseStreamToChunks(messages: AsyncIterable<EventStreamMessage>): AsyncGenerator<UnifiedChunk> {
  const toolIndex = new Map<number, number>();
  for await (const message of messages) {
    const kind = message.headers[":message-type"];
    const text = utf8.decode(message.payload);
    if (kind === "exception") throw mapBedrockStreamException(String(message.headers[":exception-type"] ?? ""), text);
    if (kind === "error") throw mapBedrockStreamException("", JSON.stringify({ message: String(message.headers[":error-message"] ?? message.headers[":error-code"] ?? "stream error") }));
    const payload = (text ? JSON.parse(text) : {}) as ConverseStreamPayload;
    const block = payload.contentBlockIndex ?? 0;
    switch (message.headers[":event-type"]) {
      case "messageStart":
        yield { role: "assistant", content: "" };
        break;
      case "contentBlockStart": {
        const toolUse = payload.start?.toolUse;
        if (!toolUse) break;
        const index = toolIndex.size;
        toolIndex.set(block, index);
        yield { toolCalls: [{ index, id: toolUse.toolUseId, name: toolUse.name, arguments: "" }] };
        break;
      }
      case "contentBlockDelta":
        if (typeof payload.delta?.text === "string" && payload.delta.text) yield { content: payload.delta.text };
        else if (typeof payload.delta?.toolUse?.input === "string" && payload.delta.toolUse.input)
          yield { toolCalls: [{ index: toolIndex.get(block) ?? 0, arguments: payload.delta.toolUse.input }] };
        break;
      case "messageStop":
        yield { finishReason: mapConverseStopReason(payload.stopReason) };
        break;
      case "metadata": {
        const usage = converseUsage(payload.usage);
        if (usage) yield { usage };
        break;
      }
      default:
        // contentBlockStop, reasoning deltas: nothing for OpenAI clients
        break;
    }
  }
}
