import { ApiError } from "@edgeserve/api";
import type { z } from "zod";
import { parseProviderJson } from "../shared/provider-json";
import type { UnifiedChunk } from "../shared/unified";
import type { EventStreamMessage } from "./aws-event-stream";
import { mapBedrockStreamException } from "./bedrock-errors";
import { converseStreamPayloads } from "./bedrock-response-schema";
import { converseUsage } from "./converse-response-to-unified";
import { mapConverseStopReason } from "./map-converse-stop-reason";

const utf8 = new TextDecoder();

/**
 * ConverseStream messages → unified chunks. Converse numbers content blocks (text and tool use
 * together); OpenAI numbers tool calls alone, so each toolUse block gets the next tool index.
 * Usage arrives in the `metadata` event after `messageStop`. An `exception` message throws the
 * mapped error: before the first chunk it becomes the HTTP status, later an error event.
 */
export async function* converseStreamToChunks(
  messages: AsyncIterable<EventStreamMessage>,
): AsyncGenerator<UnifiedChunk> {
  const toolIndex = new Map<number, number>();
  let stopped = false;
  for await (const message of messages) {
    const kind = message.headers[":message-type"];
    const text = utf8.decode(message.payload);
    if (kind === "exception") throw mapBedrockStreamException(String(message.headers[":exception-type"] ?? ""), text);
    if (kind === "error")
      throw mapBedrockStreamException(
        "",
        JSON.stringify({
          message: String(message.headers[":error-message"] ?? message.headers[":error-code"] ?? "stream error"),
        }),
      );
    const type = String(message.headers[":event-type"] ?? "");
    // The payload of each event type read is checked against its schema (bedrock-response-schema.ts).
    const payload = <S extends z.ZodType>(schema: S) =>
      parseProviderJson(schema, text || "{}", "amazon-bedrock", `a ${type} event`);
    switch (type) {
      case "messageStart":
        yield { role: "assistant", content: "" };
        break;
      case "contentBlockStart": {
        const start = payload(converseStreamPayloads.contentBlockStart);
        const toolUse = start.start?.toolUse;
        if (!toolUse) break;
        const index = toolIndex.size;
        toolIndex.set(start.contentBlockIndex ?? 0, index);
        yield { toolCalls: [{ index, id: toolUse.toolUseId, name: toolUse.name, arguments: "" }] };
        break;
      }
      case "contentBlockDelta": {
        const { delta, contentBlockIndex } = payload(converseStreamPayloads.contentBlockDelta);
        if (delta.text) yield { content: delta.text };
        else if (delta.toolUse?.input)
          yield { toolCalls: [{ index: toolIndex.get(contentBlockIndex ?? 0) ?? 0, arguments: delta.toolUse.input }] };
        break;
      }
      case "messageStop":
        stopped = true;
        yield { finishReason: mapConverseStopReason(payload(converseStreamPayloads.messageStop).stopReason) };
        break;
      case "metadata": {
        const usage = converseUsage(payload(converseStreamPayloads.metadata).usage);
        if (usage) yield { usage };
        break;
      }
      default:
        // contentBlockStop, reasoning deltas: nothing for OpenAI clients
        break;
    }
  }
  if (!stopped)
    throw new ApiError("BAD_GATEWAY", "The provider 'amazon-bedrock' ended its stream before messageStop.", {
      status: 502,
    });
}
