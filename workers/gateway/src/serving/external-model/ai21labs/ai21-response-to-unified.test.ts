import { describe, expect, it } from "vitest";
import { ai21ResponseToCompletion, ai21ResponseToUnified } from "./ai21-response-to-unified";
import { type Ai21ChatResponse, ai21ChatResponseSchema } from "./ai21-response-schema";
import { parsedFixture } from "../shared/provider-fixtures";
import { mapAi21FinishReason } from "./map-ai21-finish-reason";
import { wireFinishReason } from "../shared/finish-reason";

const chat = parsedFixture(ai21ChatResponseSchema, "ai21labs", "chat-response.json");
const toolCall = parsedFixture(ai21ChatResponseSchema, "ai21labs", "tool-call-response.json");

describe("ai21ResponseToUnified", () => {
  it("converts a text answer with its usage", () => {
    expect(ai21ResponseToUnified(chat, "fallback", 1_700_000_000_000)).toEqual({
      id: "chatcmpl-7d2f0c4e-3b1a-4f6e-9a51-5c1b2f9e8d44",
      model: "jamba-large",
      created: 1_700_000_000,
      choices: [
        { index: 0, content: "Hello! How can I help you today?", finishReason: { unified: "stop", raw: "stop" } },
      ],
      usage: { promptTokens: 16, completionTokens: 10 },
    });
  });
  it("converts tool calls", () => {
    const r = ai21ResponseToUnified(toolCall, "fallback");
    expect(r.choices[0]).toEqual({
      index: 0,
      content: null,
      toolCalls: [{ id: "call_62136354", name: "get_order_delivery_date", arguments: '{"order_id": "12345"}' }],
      finishReason: { unified: "tool_calls", raw: "tool_calls" },
    });
  });
  it("accepts tool arguments given as an object, as AI21's docs show them", () => {
    const withObject = {
      ...toolCall,
      choices: [
        {
          ...toolCall.choices[0],
          message: {
            ...toolCall.choices[0]!.message,
            tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: { a: 1 } } }],
          },
        },
      ],
    };
    expect(ai21ResponseToUnified(withObject as Ai21ChatResponse, "m").choices[0]!.toolCalls![0]!.arguments).toBe(
      '{"a":1}',
    );
  });
  it("serves completions from the chat answer", () => {
    expect(ai21ResponseToCompletion(chat, "m").choices).toEqual([
      { index: 0, text: "Hello! How can I help you today?", finishReason: { unified: "stop", raw: "stop" } },
    ]);
  });
});

describe("mapAi21FinishReason", () => {
  it("maps AI21's reasons", () => {
    expect(mapAi21FinishReason("stop")).toEqual({ unified: "stop", raw: "stop" });
    expect(mapAi21FinishReason("length")?.unified).toBe("length");
    expect(mapAi21FinishReason("tool_calls")?.unified).toBe("tool_calls");
    expect(mapAi21FinishReason(null)).toBeNull();
    // A reason AI21 may add later: kept as it came, sent to clients as "stop".
    expect(mapAi21FinishReason("end_turn")).toEqual({ unified: "other", raw: "end_turn" });
    expect(wireFinishReason(mapAi21FinishReason("end_turn"))).toBe("stop");
  });
});
