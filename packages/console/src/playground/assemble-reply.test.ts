import { describe, expect, it } from "vitest";
import { applyChunk, assistantMessage, emptyReply, replyOfCompletion } from "./assemble-reply";

describe("applyChunk", () => {
  it("appends text deltas and says which chunks carried output", () => {
    const reply = emptyReply();
    expect(applyChunk(reply, { choices: [{ index: 0, delta: { content: "" } }] })).toBe(false);
    expect(applyChunk(reply, { choices: [{ index: 0, delta: { content: "Hel" } }] })).toBe(true);
    expect(applyChunk(reply, { choices: [{ index: 0, delta: { content: "lo" }, finish_reason: "stop" }] })).toBe(true);
    expect(reply).toMatchObject({ content: "Hello", finishReason: "stop" });
  });

  it("assembles two interleaved tool calls by index: id and name once, arguments in pieces", () => {
    const reply = emptyReply();
    const piece = (index: number, fn: { name?: string; arguments?: string }, id?: string) => ({
      choices: [{ index: 0, delta: { tool_calls: [{ index, ...(id ? { id } : {}), function: fn }] } }],
    });
    applyChunk(reply, piece(0, { name: "get_weather", arguments: "" }, "call_a"));
    applyChunk(reply, piece(1, { name: "get_time", arguments: '{"tz":' }, "call_b"));
    applyChunk(reply, piece(0, { arguments: '{"city":' }));
    applyChunk(reply, piece(0, { arguments: '"Oslo"}' }));
    applyChunk(reply, piece(1, { arguments: '"UTC"}' }));
    expect(reply.toolCalls).toEqual([
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
      { id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz":"UTC"}' } },
    ]);
    expect(assistantMessage(reply)).toEqual({ role: "assistant", content: null, tool_calls: reply.toolCalls });
  });

  it("keeps the usage of the final chunk and ignores other choices", () => {
    const reply = emptyReply();
    applyChunk(reply, { choices: [{ index: 1, delta: { content: "other" } }] });
    applyChunk(reply, { choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    expect(reply.content).toBe("");
    expect(reply.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });
});

describe("replyOfCompletion", () => {
  it("reads a whole chat.completion", () => {
    const reply = replyOfCompletion({
      choices: [{ message: { content: "Hi" }, finish_reason: "length" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    expect(reply).toEqual({
      content: "Hi",
      toolCalls: [],
      finishReason: "length",
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    expect(assistantMessage(reply)).toEqual({ role: "assistant", content: "Hi" });
  });
});
