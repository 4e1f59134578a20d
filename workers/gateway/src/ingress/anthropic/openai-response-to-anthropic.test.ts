import { describe, expect, it } from "vitest";
import { openAiResponseToAnthropic } from "./openai-response-to-anthropic";

describe("openAiResponseToAnthropic", () => {
  it("converts text, tool calls, finish reason and usage", () => {
    expect(
      openAiResponseToAnthropic(
        {
          id: "chatcmpl-abc",
          choices: [
            {
              message: {
                content: "Let me check.",
                tool_calls: [{ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
              },
              finish_reason: "tool_calls",
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 8 },
        },
        "my-endpoint",
      ),
    ).toEqual({
      id: "msg_chatcmpl-abc",
      type: "message",
      role: "assistant",
      model: "my-endpoint",
      content: [
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it("maps length to max_tokens and keeps an Anthropic id", () => {
    const m = openAiResponseToAnthropic(
      { id: "msg_1", choices: [{ message: { content: "Hi" }, finish_reason: "length" }] },
      "e",
    );
    expect(m.id).toBe("msg_1");
    expect(m.stop_reason).toBe("max_tokens");
    expect(m.usage.input_tokens).toBe(0);
  });
});
