import { describe, expect, it } from "vitest";
import { anthropicResponseToUnified } from "./anthropic-response-to-unified";
import { parseProviderValue } from "../shared/provider-json";
import { anthropicMessageResponseSchema } from "./anthropic-response-schema";
import { parsedFixture } from "../shared/provider-fixtures";

// A Messages API answer as documented: a text block, then a tool_use block.
const toolResponse = parsedFixture(anthropicMessageResponseSchema, "anthropic", "message-text-then-tool-use.json");

describe("anthropicResponseToUnified", () => {
  it("joins text blocks and turns tool_use blocks into tool calls with JSON arguments", () => {
    expect(anthropicResponseToUnified(toolResponse, 1700000000)).toEqual({
      id: "msg_01Aq9w938a90dw8q",
      model: "claude-sonnet-4-5-20250929",
      created: 1700000000,
      choices: [
        {
          index: 0,
          content: "I'll check the weather.",
          toolCalls: [
            {
              id: "toolu_01A09q90qw90lq917835lq9",
              name: "get_weather",
              arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
            },
          ],
          finishReason: { unified: "tool_calls", raw: "tool_use" },
        },
      ],
      usage: { promptTokens: 2105, completionTokens: 503 },
    });
  });

  it("gives null content for a tool-only answer and skips thinking blocks", () => {
    const wire = {
      ...toolResponse,
      content: [{ type: "thinking", thinking: "let me think", signature: "sig" }, toolResponse.content[1]!],
    };
    const r = anthropicResponseToUnified(
      parseProviderValue(anthropicMessageResponseSchema, wire, "anthropic", "a response"),
    );
    expect(r.choices[0]!.content).toBeNull();
    expect(r.choices[0]!.toolCalls).toHaveLength(1);
  });

  it("reads a plain text answer", () => {
    const r = anthropicResponseToUnified({
      ...toolResponse,
      content: [{ type: "text", text: "Hello!" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 12, output_tokens: 6 },
    });
    expect(r.choices[0]).toEqual({ index: 0, content: "Hello!", finishReason: { unified: "stop", raw: "end_turn" } });
    expect(r.usage).toEqual({ promptTokens: 12, completionTokens: 6 });
  });
});
