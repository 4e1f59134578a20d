import type { SseEvent } from "../../serving/external-model/shared/sse";
import { anthropicErrorType } from "./anthropic-error-body";
import {
  type AnthropicMessageOut,
  toAnthropicMessageId,
  toAnthropicStopReason,
  toAnthropicUsage,
} from "./openai-response-to-anthropic";

export type AnthropicEvent = { type: string; [key: string]: unknown };

interface OpenAiChunk {
  id?: string;
  choices?: {
    index?: number;
    delta?: {
      content?: unknown;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: unknown;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; error_code?: string; type?: string };
}

/**
 * OpenAI `chat.completion.chunk` events → Anthropic's stream: message_start, a content block per
 * text run or tool call (content_block_start / _delta / _stop, text_delta and input_json_delta),
 * message_delta with stop_reason and usage, message_stop. OpenAI numbers tool calls apart from
 * text, Anthropic numbers all blocks together, so each tool call gets the next block index.
 * An error event from the gateway ends the stream with Anthropic's `error` event.
 */
export async function* openAiStreamToAnthropic(
  events: AsyncIterable<SseEvent>,
  model: string,
): AsyncGenerator<AnthropicEvent> {
  let started = false;
  let nextBlock = 0;
  let open: { block: number; kind: "text" | "tool"; tool?: number } | null = null;
  const blockOfTool = new Map<number, number>();
  let stopReason = "end_turn";
  let usage = toAnthropicUsage(null);

  const start = (id: unknown): AnthropicEvent => {
    started = true;
    const message: AnthropicMessageOut = {
      id: toAnthropicMessageId(id),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(null),
    };
    return { type: "message_start", message };
  };
  function* close(): Generator<AnthropicEvent> {
    if (open) yield { type: "content_block_stop", index: open.block };
    open = null;
  }

  for await (const event of events) {
    if (event.data === "[DONE]") break;
    let chunk: OpenAiChunk;
    try {
      chunk = JSON.parse(event.data) as OpenAiChunk;
    } catch {
      continue;
    }
    if (!started) {
      yield start(chunk.id);
      yield { type: "ping" };
    }
    if (chunk.error) {
      yield* close();
      yield {
        type: "error",
        error: {
          type: anthropicErrorType(chunk.error.error_code),
          message: chunk.error.message ?? "The stream failed.",
        },
      };
      return;
    }
    if (chunk.usage) usage = toAnthropicUsage(chunk.usage);
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) continue;
    const text = choice.delta?.content;
    if (typeof text === "string" && text !== "") {
      if (open?.kind !== "text") {
        yield* close();
        open = { block: nextBlock++, kind: "text" };
        yield { type: "content_block_start", index: open.block, content_block: { type: "text", text: "" } };
      }
      yield { type: "content_block_delta", index: open.block, delta: { type: "text_delta", text } };
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      const tool = call.index ?? 0;
      let block = blockOfTool.get(tool);
      if (block === undefined) {
        yield* close();
        block = nextBlock++;
        blockOfTool.set(tool, block);
        open = { block, kind: "tool", tool };
        yield {
          type: "content_block_start",
          index: block,
          content_block: {
            type: "tool_use",
            id: call.id ?? `toolu_${crypto.randomUUID().replaceAll("-", "")}`,
            name: call.function?.name ?? "",
            input: {},
          },
        };
      }
      const args = call.function?.arguments;
      if (args)
        yield { type: "content_block_delta", index: block, delta: { type: "input_json_delta", partial_json: args } };
    }
    if (choice.finish_reason) stopReason = toAnthropicStopReason(choice.finish_reason);
  }
  if (!started) yield start(undefined);
  yield* close();
  yield {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
    },
  };
  yield { type: "message_stop" };
}

/** The events of a whole message, for an upstream that answered a streamed request with JSON. */
export function* messageToAnthropicEvents(message: AnthropicMessageOut): Generator<AnthropicEvent> {
  yield {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 0 } },
  };
  for (const [index, block] of message.content.entries()) {
    if (block.type === "text") {
      yield { type: "content_block_start", index, content_block: { type: "text", text: "" } };
      yield { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } };
    } else {
      yield { type: "content_block_start", index, content_block: { ...block, input: {} } };
      yield {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      };
    }
    yield { type: "content_block_stop", index };
  }
  yield {
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { ...message.usage },
  };
  yield { type: "message_stop" };
}

const encoder = new TextEncoder();

/** One Anthropic SSE event: `event: <type>` then its JSON data. */
export function encodeAnthropicEvent(event: AnthropicEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
