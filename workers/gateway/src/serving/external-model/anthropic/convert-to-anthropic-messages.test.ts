import { describe, expect, it } from "vitest";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages";

describe("convertToAnthropicMessages", () => {
  it("moves system and developer messages to the top-level system", () => {
    expect(
      convertToAnthropicMessages([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ]),
    ).toEqual({
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(
      convertToAnthropicMessages([
        { role: "system", content: [{ type: "text", text: "A" }] },
        { role: "developer", content: "B" },
        { role: "user", content: "Hi" },
      ]).system,
    ).toEqual([
      { type: "text", text: "A" },
      { type: "text", text: "B" },
    ]);
  });

  it("converts multi-part user content, images included", () => {
    const out = convertToAnthropicMessages([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
        ],
      },
    ]);
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
        ],
      },
    ]);
  });

  it("turns assistant tool_calls into tool_use blocks and merges consecutive tool results into one user turn", () => {
    const out = convertToAnthropicMessages([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18C" },
      { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "24C" }] },
      { role: "user", content: "Thanks, and?" },
    ]);
    expect(out.messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
          { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "24C" }] },
          { type: "text", text: "Thanks, and?" },
        ],
      },
    ]);
  });

  it("leaves out empty text (Anthropic rejects it) but keeps the tool calls", () => {
    const out = convertToAnthropicMessages([
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "" } }],
      },
    ]);
    expect(out.messages[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "t", name: "f", input: {} }],
    });
  });

  it("answers 400 for what Anthropic cannot take", () => {
    expect(() =>
      convertToAnthropicMessages([{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }]),
    ).toThrow(/input_audio/);
    expect(() =>
      convertToAnthropicMessages([
        { role: "assistant", tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{oops" } }] },
      ]),
    ).toThrow(/arguments must be a JSON object/);
    expect(() => convertToAnthropicMessages([{ role: "tool", content: "x" }])).toThrow(/tool_call_id/);
    expect(() =>
      convertToAnthropicMessages([
        { role: "system", content: [{ type: "image_url", image_url: { url: "https://x" } }] },
      ]),
    ).toThrow(/image_url/);
  });
});
