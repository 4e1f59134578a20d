import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { convertToGeminiContents } from "./convert-to-gemini-contents";

const P = "google-cloud-vertex-ai";

describe("convertToGeminiContents", () => {
  it("moves system prompts to systemInstruction and maps roles to user/model", () => {
    expect(
      convertToGeminiContents(
        [
          { role: "system", content: "be brief" },
          { role: "developer", content: [{ type: "text", text: "and kind" }] },
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
        ],
        P,
      ),
    ).toEqual({
      systemInstruction: { parts: [{ text: "be brief" }, { text: "and kind" }] },
      contents: [
        { role: "user", parts: [{ text: "hi" }] },
        { role: "model", parts: [{ text: "hello" }] },
        { role: "user", parts: [{ text: "a" }, { text: "b" }] },
      ],
    });
  });

  it("maps tool calls to functionCall and tool results back by name (Gemini has no call ids)", () => {
    const out = convertToGeminiContents(
      [
        { role: "user", content: "weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_a", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_b", function: { name: "get_time", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: '{"temp":21}' },
        { role: "tool", tool_call_id: "call_b", content: "noon" },
      ],
      P,
    );
    expect(out.contents).toEqual([
      { role: "user", parts: [{ text: "weather in Paris and Rome?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } } },
          { functionCall: { name: "get_time", args: { city: "Rome" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temp: 21 } } },
          { functionResponse: { name: "get_time", response: { content: "noon" } } },
        ],
      },
    ]);
  });

  it("sends data: URL images inline", () => {
    const out = convertToGeminiContents(
      [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }] }],
      P,
    );
    expect(out.contents[0]!.parts).toEqual([{ inlineData: { mimeType: "image/png", data: "iVBO" } }]);
  });

  it("rejects what Gemini cannot take with a 400 naming the provider", () => {
    const cases = [
      [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/cat.png" } }] }],
      [
        { role: "user", content: "a" },
        { role: "system", content: "late" },
      ],
      [
        { role: "user", content: "a" },
        { role: "tool", tool_call_id: "nope", content: "x" },
      ],
      [{ role: "system", content: "only a system prompt" }],
      [{ role: "user", content: [{ type: "file", file: {} }] }],
    ];
    for (const messages of cases) {
      try {
        convertToGeminiContents(messages as never, P);
        expect.fail(JSON.stringify(messages));
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).status).toBe(400);
      }
    }
  });
});
