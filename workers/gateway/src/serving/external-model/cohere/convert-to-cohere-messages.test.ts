import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { convertToCohereMessages } from "./convert-to-cohere-messages";

describe("convertToCohereMessages", () => {
  it("maps system, developer, user parts, assistant tool calls and tool results", () => {
    const out = convertToCohereMessages([
      { role: "system", content: "be brief" },
      { role: "developer", content: [{ type: "text", text: "dev rules" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "weather?" },
          { type: "image_url", image_url: { url: "https://x/y.png" } },
        ],
      },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: '{"temp":21}' },
      { role: "assistant", content: "It is 21." },
    ]);
    expect(out).toEqual([
      { role: "system", content: "be brief" },
      { role: "system", content: [{ type: "text", text: "dev rules" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "weather?" },
          { type: "image_url", image_url: { url: "https://x/y.png" } },
        ],
      },
      {
        role: "assistant",
        tool_plan: "Let me check.",
        tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: '{"temp":21}' },
      { role: "assistant", content: "It is 21." },
    ]);
  });

  it("omits the tool plan when the assistant had no text", () => {
    const [m] = convertToCohereMessages([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
    ]);
    expect(m).toEqual({
      role: "assistant",
      tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
    });
  });

  it("rejects what Cohere cannot take with a 400", () => {
    expect(() => convertToCohereMessages([{ role: "user", content: [{ type: "input_audio" }] }])).toThrow(
      /input_audio/,
    );
    expect(() =>
      convertToCohereMessages([{ role: "system", content: [{ type: "image_url", image_url: { url: "u" } }] }]),
    ).toThrow(ApiError);
    expect(() => convertToCohereMessages([{ role: "user", name: "bob", content: "x" }])).toThrow(/names/);
    expect(() => convertToCohereMessages([{ role: "tool", content: "x" }])).toThrow(/tool_call_id/);
  });
});
