import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { openAiStreamResponse } from "./openai-stream";
import type { UnifiedChunk, UnifiedUsage } from "./unified";

async function* chunks(list: UnifiedChunk[], failAfter?: number): AsyncGenerator<UnifiedChunk> {
  let i = 0;
  for (const c of list) {
    if (failAfter !== undefined && i++ === failAfter)
      throw new ApiError("TEMPORARILY_UNAVAILABLE", "upstream went away");
    yield c;
  }
  if (failAfter !== undefined && failAfter >= list.length)
    throw new ApiError("TEMPORARILY_UNAVAILABLE", "upstream went away");
}

const base = {
  provider: "custom",
  redact: (text: string) => text,
  id: "chatcmpl-1",
  model: "m",
  created: 7,
  promptText: "hello there",
};

function events(text: string) {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ""))
    .map((d) => (d === "[DONE]" ? d : JSON.parse(d)));
}

describe("openAiStreamResponse", () => {
  it("writes chat.completion.chunk events with tool-call deltas, a usage chunk, then [DONE]", async () => {
    let usage: UnifiedUsage | undefined;
    const res = await openAiStreamResponse(
      chunks([
        { role: "assistant", content: "" },
        { toolCalls: [{ index: 0, id: "call_1", name: "get_weather", arguments: "" }] },
        { toolCalls: [{ index: 0, arguments: '{"city":"Paris"}' }] },
        { finishReason: { unified: "tool_calls", raw: "tool_use" } },
        { usage: { promptTokens: 10, completionTokens: 5 } },
      ]),
      { ...base, includeUsage: true, onUsage: (u) => (usage = u) },
    );
    const out = events(await res.text());
    expect(out[1].choices[0].delta.tool_calls).toEqual([
      { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } },
    ]);
    expect(out[2].choices[0].delta.tool_calls).toEqual([{ index: 0, function: { arguments: '{"city":"Paris"}' } }]);
    expect(out[3].choices[0].finish_reason).toBe("tool_calls");
    expect(out[4]).toEqual({
      id: "chatcmpl-1",
      model: "m",
      created: 7,
      object: "chat.completion.chunk",
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    expect(out[5]).toBe("[DONE]");
    expect(usage).toEqual({ promptTokens: 10, completionTokens: 5 });
  });

  it("throws before answering when the first chunk fails, so the caller gets an HTTP error", async () => {
    await expect(
      openAiStreamResponse(chunks([{ content: "x" }], 0), { ...base, includeUsage: false, onUsage: () => {} }),
    ).rejects.toThrow("upstream went away");
  });

  it("ends with an error event when the stream fails later, and still reports estimated usage", async () => {
    let usage: UnifiedUsage | undefined;
    const res = await openAiStreamResponse(chunks([{ content: "abcdefg" }], 1), {
      ...base,
      includeUsage: false,
      onUsage: (u) => (usage = u),
    });
    const out = events(await res.text());
    expect(out.at(-1)).toEqual({ error: { error_code: "TEMPORARILY_UNAVAILABLE", message: "upstream went away" } });
    expect(usage).toEqual({ promptTokens: 3, completionTokens: 2, estimated: true });
  });

  it(
    "without include_usage, puts the usage on the finish chunk (held back until the usage came) " +
      "and sends no usage-only chunk",
    async () => {
      const res = await openAiStreamResponse(
        chunks([
          { role: "assistant", content: "Hi" },
          { finishReason: { unified: "stop", raw: "end_turn" } },
          { usage: { promptTokens: 4, completionTokens: 1 } },
        ]),
        { ...base, includeUsage: false, onUsage: () => {} },
      );
      const out = events(await res.text());
      expect(out).toHaveLength(3);
      expect(out[1]).toEqual({
        id: "chatcmpl-1",
        object: "chat.completion.chunk",
        created: 7,
        model: "m",
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      });
      expect(out[2]).toBe("[DONE]");
    },
  );

  it("writes text_completion events for llm/v1/completions", async () => {
    const res = await openAiStreamResponse(
      chunks([{ content: "hi", finishReason: { unified: "stop", raw: "end_turn" } }]),
      { ...base, kind: "text", includeUsage: false, onUsage: () => {} },
    );
    expect(events(await res.text())[0]).toMatchObject({
      object: "text_completion",
      choices: [{ index: 0, text: "hi", finish_reason: "stop" }],
    });
  });
});
