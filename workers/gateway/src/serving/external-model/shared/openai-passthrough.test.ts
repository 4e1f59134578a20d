import { describe, expect, it } from "vitest";
import { forwardOpenAiResponse, withStreamUsage } from "./openai-passthrough";
import { bodyOf } from "../../../../test/streams";
import type { UnifiedUsage } from "./unified";

const chunk = (content: string) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const usageChunk = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n`;

describe("withStreamUsage", () => {
  it("asks for usage on streams only, keeping other stream options", () => {
    expect(withStreamUsage({ stream: true, stream_options: { x: 1 } })).toEqual({ stream: true, stream_options: { x: 1, include_usage: true } });
    expect(withStreamUsage({ stream: false })).toEqual({ stream: false });
  });
});

describe("forwardOpenAiResponse", () => {
  it("passes JSON through as the same text and reports the provider's usage", async () => {
    const text = '{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}';
    let usage: UnifiedUsage | undefined;
    const res = await forwardOpenAiResponse(new Response(text), { stream: false, clientWantsUsage: false, promptText: "hello", onUsage: (u) => (usage = u) });
    expect(await res.text()).toBe(text);
    expect(usage).toEqual({ promptTokens: 4, completionTokens: 1 });
  });

  it("estimates (characters + 1) / 4 when the provider reports no usage", async () => {
    let usage: UnifiedUsage | undefined;
    await forwardOpenAiResponse(new Response('{"choices":[{"index":0,"message":{"role":"assistant","content":"abcdefg"}}]}'), { stream: false, clientWantsUsage: false, promptText: "abc", onUsage: (u) => (usage = u) });
    expect(usage).toEqual({ promptTokens: 1, completionTokens: 2, estimated: true });
  });

  it("hides the usage-only chunk of a stream unless the client asked, and reports it either way", async () => {
    for (const clientWantsUsage of [false, true]) {
      let usage: UnifiedUsage | undefined;
      const res = await forwardOpenAiResponse(new Response(bodyOf(chunk("He"), chunk("llo"), usageChunk, "data: [DONE]\n\n")), { stream: true, clientWantsUsage, promptText: "p", onUsage: (u) => (usage = u) });
      const text = await res.text();
      expect(text.match(/^data: /gm)).toHaveLength(clientWantsUsage ? 4 : 3);
      expect(text.includes('"prompt_tokens":9')).toBe(clientWantsUsage);
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(usage).toEqual({ promptTokens: 9, completionTokens: 2 });
    }
  });

  it("estimates a stream's usage from its text when the upstream sends none, and ends it with [DONE]", async () => {
    let usage: UnifiedUsage | undefined;
    const res = await forwardOpenAiResponse(new Response(bodyOf(chunk("abcdefg"))), { stream: true, clientWantsUsage: false, promptText: "abc", onUsage: (u) => (usage = u) });
    expect((await res.text()).endsWith("data: [DONE]\n\n")).toBe(true);
    expect(usage).toEqual({ promptTokens: 1, completionTokens: 2, estimated: true });
  });

  it("reports usage when the client goes away mid-stream", async () => {
    let usage: UnifiedUsage | undefined;
    const res = await forwardOpenAiResponse(new Response(bodyOf(chunk("abc"), chunk("def"))), { stream: true, clientWantsUsage: false, promptText: "", onUsage: (u) => (usage = u) });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(usage?.estimated).toBe(true);
  });
});
