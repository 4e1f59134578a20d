import { describe, expect, it } from "vitest";
import { cohereChatResponseSchema, cohereEmbedResponseSchema } from "./cohere-response-schema";
import { cohereChatToUnified, cohereEmbedToUnified } from "./cohere-response-to-unified";
import { parsedFixture } from "../shared/provider-fixtures";

const COHERE_EMBED_RESPONSE = parsedFixture(cohereEmbedResponseSchema, "cohere", "embed-response.json");
const COHERE_TEXT_RESPONSE = parsedFixture(cohereChatResponseSchema, "cohere", "text-response.json");
const COHERE_TOOL_CALL_RESPONSE = parsedFixture(cohereChatResponseSchema, "cohere", "tool-call-response.json");

describe("cohereChatToUnified", () => {
  it("reads text, finish reason and token usage", () => {
    expect(cohereChatToUnified(COHERE_TEXT_RESPONSE, "command-r", 5)).toEqual({
      id: "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
      model: "command-r",
      created: 5,
      choices: [
        { index: 0, content: "The capital of France is Paris.", finishReason: { unified: "stop", raw: "COMPLETE" } },
      ],
      usage: { promptTokens: 507, completionTokens: 10 },
    });
  });

  it("reads tool calls (null arguments become {}) with the tool plan as content", () => {
    const u = cohereChatToUnified(COHERE_TOOL_CALL_RESPONSE, "command-r", 5);
    expect(u.choices[0]).toEqual({
      index: 0,
      content: "I will use the weather tool to find out the weather in San Francisco.",
      toolCalls: [
        { id: "weather_dqgshstja6p9", name: "weather", arguments: '{"location":"San Francisco"}' },
        { id: "now_dcxfx4myvx68", name: "now", arguments: "{}" },
      ],
      finishReason: { unified: "tool_calls", raw: "TOOL_CALL" },
    });
    expect(u.usage).toEqual({ promptTokens: 1549, completionTokens: 103 });
  });
});

describe("cohereEmbedToUnified", () => {
  it("concatenates batches and sums billed tokens", () => {
    const r = COHERE_EMBED_RESPONSE;
    const u = cohereEmbedToUnified([r, r], "embed-v4.0");
    expect(u.embeddings).toHaveLength(4);
    expect(u.embeddings[1]).toEqual(COHERE_EMBED_RESPONSE.embeddings.float[1]);
    expect(u.usage).toEqual({ promptTokens: 20, completionTokens: 0 });
  });
});
