import { describe, expect, it } from "vitest";
import { convertToAi21Messages } from "./convert-to-ai21-messages";

describe("convertToAi21Messages", () => {
  it("keeps system prompts, joins text parts and carries tool calls and results", () => {
    expect(
      convertToAi21Messages([
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Where is " },
            { type: "text", text: "order 12345?" },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_order", arguments: '{"id":"12345"}' } },
          ],
        },
        { role: "tool", content: '{"eta":"tomorrow"}', tool_call_id: "call_1" },
      ]),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "Answer in English." },
      { role: "user", content: "Where is order 12345?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_order", arguments: '{"id":"12345"}' } }],
      },
      { role: "tool", content: '{"eta":"tomorrow"}', tool_call_id: "call_1" },
    ]);
  });
  it("rejects images and message names, which AI21 cannot take", () => {
    expect(() =>
      convertToAi21Messages([
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] } as never,
      ]),
    ).toThrow(/only text content/);
    expect(() => convertToAi21Messages([{ role: "user", content: "hi", name: "bob" }])).toThrow(/'name'/);
  });
  it("requires tool_call_id on tool results", () => {
    expect(() => convertToAi21Messages([{ role: "tool", content: "x" }])).toThrow(/tool_call_id/);
  });
});
