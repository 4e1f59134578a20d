import { describe, expect, it } from "vitest";
import type { SseEvent } from "../../serving/external-model/shared/sse";
import { type AnthropicEvent, messageToAnthropicEvents, openAiStreamToAnthropic } from "./openai-stream-to-anthropic";

async function* events(chunks: (object | string)[]): AsyncGenerator<SseEvent> {
  for (const c of chunks) yield { data: typeof c === "string" ? c : JSON.stringify(c) };
}

async function collect(gen: AsyncGenerator<AnthropicEvent>) {
  const out: AnthropicEvent[] = [];
  for await (const e of gen) out.push(e);
  return out;
}

const chunk = (delta: object, finish_reason: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason }],
});

describe("openAiStreamToAnthropic", () => {
  it(
    "emits message_start, a text block, tool_use blocks " + "with input_json_delta, message_delta and message_stop",
    async () => {
      const out = await collect(
        openAiStreamToAnthropic(
          events([
            chunk({ role: "assistant", content: "" }),
            chunk({ content: "Checking" }),
            chunk({ content: "." }),
            chunk({
              tool_calls: [
                { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } },
              ],
            }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
            chunk({
              tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "now", arguments: "{}" } }],
            }),
            chunk({}, "tool_calls"),
            {
              id: "chatcmpl-1",
              object: "chat.completion.chunk",
              created: 1,
              model: "m",
              choices: [],
              usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
            },
            "[DONE]",
          ]),
          "my-endpoint",
        ),
      );
      expect(out.map((e) => e.type)).toEqual([
        "message_start",
        "ping",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
      ]);
      expect(out[0]).toMatchObject({
        message: { id: "msg_chatcmpl-1", model: "my-endpoint", role: "assistant", content: [], stop_reason: null },
      });
      expect(out[3]).toEqual({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "Checking" },
      });
      expect(out[6]).toEqual({
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} },
      });
      expect(out[8]).toEqual({
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '"Paris"}' },
      });
      expect(out[10]).toMatchObject({ index: 2, content_block: { type: "tool_use", id: "call_2", name: "now" } });
      expect(out[13]).toEqual({
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { input_tokens: 11, output_tokens: 7, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      });
    },
  );

  it("ends with an Anthropic error event when the gateway's stream reports an error", async () => {
    const out = await collect(
      openAiStreamToAnthropic(
        events([
          chunk({ content: "Hi" }),
          { error: { error_code: "TEMPORARILY_UNAVAILABLE", message: "upstream went away" } },
        ]),
        "e",
      ),
    );
    expect(out.at(-2)).toEqual({ type: "content_block_stop", index: 0 });
    expect(out.at(-1)).toEqual({ type: "error", error: { type: "overloaded_error", message: "upstream went away" } });
  });

  it("replays a whole message as events", () => {
    const out = [
      ...messageToAnthropicEvents({
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "e",
        content: [{ type: "text", text: "Hi" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      }),
    ];
    expect(out.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});
