import { describe, expect, it } from "vitest";
import { converseResponseSchema } from "./bedrock-response-schema";
import { converseResponseToUnified } from "./converse-response-to-unified";
import { parsedFixture } from "../shared/provider-fixtures";

const CONVERSE_TEXT_RESPONSE = parsedFixture(converseResponseSchema, "amazon-bedrock", "converse-text-response.json");
const CONVERSE_TOOL_RESPONSE = parsedFixture(converseResponseSchema, "amazon-bedrock", "converse-tool-response.json");

const meta = { id: "chatcmpl-1", model: "anthropic.claude-3-haiku-20240307-v1:0", created: 9 };

describe("converseResponseToUnified", () => {
  it("reads text and usage", () => {
    expect(converseResponseToUnified(CONVERSE_TEXT_RESPONSE, meta)).toEqual({
      ...meta,
      choices: [{ index: 0, content: "Hello! How can I help?", finishReason: { unified: "stop", raw: "end_turn" } }],
      usage: { promptTokens: 12, completionTokens: 8 },
    });
  });
  it("reads toolUse blocks as tool calls", () => {
    expect(converseResponseToUnified(CONVERSE_TOOL_RESPONSE, meta).choices[0]).toEqual({
      index: 0,
      content: "Let me look that up.",
      toolCalls: [{ id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "top_song", arguments: '{"sign":"WZPZ"}' }],
      finishReason: { unified: "tool_calls", raw: "tool_use" },
    });
  });
});
