import { describe, expect, it } from "vitest";
import { anthropicRequestToOpenAi } from "./anthropic-request-to-openai";

const weatherTool = {
  name: "get_weather",
  description: "Weather of a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("anthropicRequestToOpenAi", () => {
  it("maps system, sampling, stop_sequences and metadata", () => {
    expect(
      anthropicRequestToOpenAi({
        model: "my-endpoint",
        max_tokens: 256,
        system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: "Hello" }],
        temperature: 0.5,
        top_k: 3,
        stop_sequences: ["END"],
        metadata: { user_id: "u-1" },
      }),
    ).toEqual({
      model: "my-endpoint",
      max_tokens: 256,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
      temperature: 0.5,
      top_k: 3,
      stop: ["END"],
      user: "u-1",
    });
  });

  it("maps tools, tool_choice, tool_use and tool_result blocks (results first, as tool messages)", () => {
    const out = anthropicRequestToOpenAi({
      model: "ep",
      max_tokens: 100,
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather", disable_parallel_tool_use: true },
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "18C" }] },
            { type: "text", text: "And tomorrow?" },
          ],
        },
      ],
    });
    expect(out.tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather of a city", parameters: weatherTool.input_schema },
      },
    ]);
    expect(out.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(out.parallel_tool_calls).toBe(false);
    expect(out.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18C" },
      { role: "user", content: [{ type: "text", text: "And tomorrow?" }] },
    ]);
  });

  it("maps tool_choice auto/any/none and images, and asks for usage when streaming", () => {
    expect(
      anthropicRequestToOpenAi({
        model: "e",
        max_tokens: 1,
        tools: [weatherTool],
        tool_choice: { type: "any" },
        messages: [{ role: "user", content: "x" }],
      }).tool_choice,
    ).toBe("required");
    expect(
      anthropicRequestToOpenAi({
        model: "e",
        max_tokens: 1,
        tools: [weatherTool],
        tool_choice: { type: "none" },
        messages: [{ role: "user", content: "x" }],
      }).tool_choice,
    ).toBe("none");
    const streamed = anthropicRequestToOpenAi({
      model: "e",
      max_tokens: 1,
      stream: true,
      messages: [
        {
          role: "user",
          content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } }],
        },
      ],
    });
    expect(streamed).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }] }],
    });
  });

  it("answers 400 in Anthropic's field wording", () => {
    expect(() => anthropicRequestToOpenAi({ model: "e", messages: [{ role: "user", content: "x" }] })).toThrow(
      /max_tokens: Field required/,
    );
    expect(() =>
      anthropicRequestToOpenAi({ model: "e", max_tokens: 1, messages: [{ role: "user", content: "x" }], bogus: 1 }),
    ).toThrow(/bogus: Extra inputs are not permitted/);
    expect(() =>
      anthropicRequestToOpenAi({ model: "e", max_tokens: 1, messages: [{ role: "system", content: "x" }] }),
    ).toThrow(/messages.0.role/);
    expect(() =>
      anthropicRequestToOpenAi({
        model: "e",
        max_tokens: 1,
        messages: [{ role: "user", content: [{ type: "document", source: {} }] }],
      }),
    ).toThrow(/messages.0.content.0.type/);
    expect(() =>
      anthropicRequestToOpenAi({
        model: "e",
        max_tokens: 1,
        tools: [{ type: "web_search_20250305", name: "web_search" }],
        messages: [{ role: "user", content: "x" }],
      }),
    ).toThrow(/server tools/);
    expect(() =>
      anthropicRequestToOpenAi({
        model: "e",
        max_tokens: 1,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "x" }],
      }),
    ).toThrow(/thinking/);
  });
});
