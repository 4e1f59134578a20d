import { describe, expect, it } from "vitest";
import { parsedFixture } from "../shared/provider-fixtures";
import { geminiResponseSchema } from "./gemini-response-schema";
import { geminiResponseToCompletion, geminiResponseToUnified } from "./gemini-response-to-unified";

const meta = { id: "chatcmpl-abc", model: "gemini-2.0-flash", created: 1700000000 };

// Recorded from generateContent (Gemini API / Vertex AI share the shape).
const textAnswer = parsedFixture(geminiResponseSchema, "gemini", "generate-content-text.json");
const toolAnswer = parsedFixture(geminiResponseSchema, "gemini", "generate-content-function-calls.json");

describe("geminiResponseToUnified", () => {
  it("joins text parts and takes the usage", () => {
    expect(geminiResponseToUnified(textAnswer, meta)).toEqual({
      id: "chatcmpl-abc",
      model: "gemini-2.0-flash-001",
      created: 1700000000,
      choices: [{ index: 0, content: "Hello! How can I help?", finishReason: { unified: "stop", raw: "STOP" } }],
      usage: { promptTokens: 4, completionTokens: 9 },
    });
  });

  it("turns function calls into tool calls with synthesized ids, counting thinking tokens as output", () => {
    const r = geminiResponseToUnified(toolAnswer, meta);
    expect(r.choices).toEqual([
      {
        index: 0,
        content: null,
        toolCalls: [
          { id: "call_abc_0_0", name: "get_weather", arguments: '{"city":"Paris"}' },
          { id: "call_abc_0_1", name: "get_time", arguments: "{}" },
        ],
        finishReason: { unified: "tool_calls", raw: "STOP" },
      },
    ]);
    expect(r.usage).toEqual({ promptTokens: 30, completionTokens: 15 });
  });

  it("answers a blocked prompt with one content_filter choice and leaves thoughts out", () => {
    expect(
      geminiResponseToUnified(
        { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 3 } },
        meta,
      ).choices,
    ).toEqual([{ index: 0, content: null, finishReason: { unified: "content_filter", raw: "SAFETY" } }]);
    const thinking = {
      candidates: [
        { content: { parts: [{ text: "let me think", thought: true }, { text: "42" }] }, finishReason: "MAX_TOKENS" },
      ],
    };
    expect(geminiResponseToUnified(thinking, meta).choices[0]).toEqual({
      index: 0,
      content: "42",
      finishReason: { unified: "length", raw: "MAX_TOKENS" },
    });
  });

  it("keeps several candidates (n) in order", () => {
    const r = geminiResponseToUnified(
      {
        candidates: [
          { index: 1, content: { parts: [{ text: "b" }] }, finishReason: "STOP" },
          { index: 0, content: { parts: [{ text: "a" }] }, finishReason: "STOP" },
        ],
      },
      meta,
    );
    expect(r.choices.map((c) => c.content)).toEqual(["a", "b"]);
    expect(r.model).toBe("gemini-2.0-flash");
    expect(r.usage).toBeUndefined();
  });
});

describe("geminiResponseToCompletion", () => {
  it("returns the text as a completion", () => {
    expect(geminiResponseToCompletion(textAnswer, meta)).toEqual({
      id: "cmpl-abc",
      model: "gemini-2.0-flash-001",
      created: 1700000000,
      choices: [{ index: 0, text: "Hello! How can I help?", finishReason: { unified: "stop", raw: "STOP" } }],
      usage: { promptTokens: 4, completionTokens: 9 },
    });
  });
});
