import type { ExternalModel } from "@edgeserve/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProviderCall } from "../provider";
import { callOpenAiCompatible } from "./openai-compatible-call";
import type { UnifiedUsage } from "./unified";

afterEach(() => vi.restoreAllMocks());

const model = {
  name: "m",
  provider: "custom",
  task: "llm/v1/chat",
  custom_provider_config: { custom_provider_url: "https://up.test/v1" },
} as ExternalModel;

function callOf(
  body: Record<string, unknown>,
  task: ProviderCall["task"] = "llm/v1/chat",
): ProviderCall & { usage: UnifiedUsage[] } {
  const usage: UnifiedUsage[] = [];
  return {
    task,
    model,
    body,
    stream: body.stream === true,
    credentials: new Map(),
    redact: (text) => text,
    timeoutMs: 5000,
    idleTimeoutMs: 5000,
    requestId: "r",
    baseUrl: (u) => u,
    onUsage: (u) => usage.push(u),
    usage,
  };
}

/** A server that refuses fields it does not know, as pydantic `extra="forbid"` APIs do (422), and answers floats. */
function strictUpstream() {
  const bodies: Record<string, unknown>[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    bodies.push(body);
    for (const field of ["stream_options", "encoding_format"])
      if (field in body)
        return Response.json(
          { detail: [{ type: "extra_forbidden", loc: ["body", field], msg: "Extra inputs are not permitted" }] },
          { status: 422 },
        );
    if ("input" in body)
      return Response.json({
        object: "list",
        model: "m",
        data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
      });
    const meta = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ ...meta, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    return new Response(`${chunk({ role: "assistant", content: "Hi" }, null) + chunk({}, "stop")}data: [DONE]\n\n`, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  return bodies;
}

const request = (url: string, forwardsEncodingFormat = false) => ({
  url,
  headers: {},
  body: {},
  provider: "custom",
  injectStreamUsage: true,
  forwardsEncodingFormat,
});

describe("callOpenAiCompatible with an upstream that refuses fields it does not know", () => {
  it(
    "asks again without the stream_options it refused, remembers it, " +
      "and still gives the client the usage chunk it asked for",
    async () => {
      const bodies = strictUpstream();
      const url = `https://strict-${crypto.randomUUID()}.test/v1/chat/completions`;
      const call = callOf({
        messages: [{ role: "user", content: "hello" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const res = await callOpenAiCompatible(call, {
        ...request(url),
        body: { messages: call.body.messages, stream: true, stream_options: { include_usage: true } },
      });
      const text = await res.text();
      expect(bodies.map((b) => "stream_options" in b)).toEqual([true, false]);
      expect(text).toContain('"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}');
      expect(call.usage).toEqual([{ promptTokens: 2, completionTokens: 1, estimated: true }]);

      await (
        await callOpenAiCompatible(callOf({ messages: [{ role: "user", content: "again" }], stream: true }), {
          ...request(url),
          body: { messages: [], stream: true },
        })
      ).text();
      expect(bodies.map((b) => "stream_options" in b)).toEqual([true, false, false]);
    },
  );

  it(
    "sends no encoding_format to an upstream that may not know it, " +
      "and encodes base64 itself for a client that asked",
    async () => {
      const bodies = strictUpstream();
      const call = callOf({ input: "x", encoding_format: "base64" }, "llm/v1/embeddings");
      const res = await callOpenAiCompatible(call, {
        ...request("https://strict.test/v1/embeddings"),
        body: { input: "x", encoding_format: "base64", model: "m" },
      });
      expect(((await res.json()) as { data: { embedding: unknown }[] }).data[0]!.embedding).toBe("AAAAPwAAgL4=");
      expect(bodies).toEqual([{ input: "x", model: "m" }]);
    },
  );
});
