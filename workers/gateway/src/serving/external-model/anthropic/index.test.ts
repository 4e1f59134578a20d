import type { ExternalModel } from "@edgeserve/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProviderCall } from "../provider";
import type { UnifiedUsage } from "../shared/unified";
import { fixtureText } from "../shared/provider-fixtures";
import { anthropicProvider } from "./index";

const streamTextThenTool = fixtureText("anthropic", "stream-text-then-tool.sse");

afterEach(() => vi.restoreAllMocks());

const model = {
  name: "claude-sonnet-4-5",
  provider: "anthropic",
  task: "llm/v1/chat",
  anthropic_config: { anthropic_api_key: "{{secrets/s/k}}" },
} as ExternalModel;

function callOf(
  body: Record<string, unknown>,
  overrides: Partial<ProviderCall> = {},
): ProviderCall & { usage: UnifiedUsage[] } {
  const usage: UnifiedUsage[] = [];
  return {
    task: "llm/v1/chat",
    model,
    body,
    stream: body.stream === true,
    credentials: new Map([["anthropic_api_key", "sk-ant-test"]]),
    redact: (text) => text,
    timeoutMs: 5000,
    idleTimeoutMs: 5000,
    requestId: "req-1",
    baseUrl: () => "http://anthropic.mock",
    onUsage: (u) => usage.push(u),
    usage,
    ...overrides,
  };
}

function upstream(response: Response) {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    seen.push(new Request(input, init));
    return response;
  });
  return seen;
}

const message = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "Hello!" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 3 },
};

function sseEvents(text: string) {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ""))
    .map((d) => (d === "[DONE]" ? d : JSON.parse(d)));
}

describe("anthropicProvider", () => {
  it("POSTs /v1/messages with x-api-key and anthropic-version, and answers an OpenAI chat.completion", async () => {
    const seen = upstream(Response.json(message));
    const call = callOf({ messages: [{ role: "user", content: "Hi" }], client_request_id: "c1" });
    const res = await anthropicProvider.invoke(call);
    const json = (await res.json()) as any;
    expect(json).toMatchObject({
      object: "chat.completion",
      id: "msg_1",
      choices: [{ message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    });
    const req = seen[0]!;
    expect(req.url).toBe("http://anthropic.mock/v1/messages");
    expect(req.headers.get("x-api-key")).toBe("sk-ant-test");
    expect(req.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(await req.json()).toEqual({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 4096,
    });
    expect(call.usage).toEqual([{ promptTokens: 12, completionTokens: 3 }]);
  });

  it("streams OpenAI chunks with tool-call deltas and a usage chunk", async () => {
    upstream(new Response(streamTextThenTool, { headers: { "content-type": "text/event-stream" } }));
    const call = callOf({
      messages: [{ role: "user", content: "Weather?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const res = await anthropicProvider.invoke(call);
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as any[];
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Okay, let's check the weather for San Francisco, CA:");
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(
      calls
        .filter((t: any) => t.index === 0)
        .map((t: any) => t.function.arguments)
        .join(""),
    ).toBe('{"location": "San Francisco, CA"}');
    expect(
      calls
        .filter((t: any) => t.index === 1)
        .map((t: any) => t.function.arguments)
        .join(""),
    ).toBe("{}");
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe("tool_calls");
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
    expect(call.usage).toEqual([{ promptTokens: 472, completionTokens: 89 }]);
  });

  it("serves completions through Messages in text_completion shape", async () => {
    const seen = upstream(Response.json(message));
    const res = await anthropicProvider.invoke(callOf({ prompt: "Say hi" }, { task: "llm/v1/completions" }));
    expect(await res.json()).toMatchObject({
      object: "text_completion",
      choices: [{ index: 0, text: "Hello!", finish_reason: "stop" }],
    });
    expect(((await seen[0]!.json()) as any).messages).toEqual([{ role: "user", content: "Say hi" }]);
  });

  it("refuses embeddings with a 400 that says so, without calling Anthropic", async () => {
    const seen = upstream(Response.json(message));
    await expect(anthropicProvider.invoke(callOf({ input: "x" }, { task: "llm/v1/embeddings" }))).rejects.toMatchObject(
      { status: 400, message: expect.stringContaining("embeddings") },
    );
    expect(seen).toHaveLength(0);
  });

  it("maps Anthropic's error body and status", async () => {
    upstream(
      Response.json(
        {
          type: "error",
          error: {
            type: "rate_limit_error",
            message: "Number of request tokens has exceeded your per-minute rate limit",
          },
        },
        { status: 429, headers: { "retry-after": "3" } },
      ),
    );
    await expect(
      anthropicProvider.invoke(callOf({ messages: [{ role: "user", content: "Hi" }] })),
    ).rejects.toMatchObject({ status: 429, headers: { "Retry-After": "3" } });
  });
});
