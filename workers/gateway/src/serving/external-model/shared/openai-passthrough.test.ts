import { describe, expect, it } from "vitest";
import { forwardOpenAiResponse, withStreamUsage } from "./openai-passthrough";
import type { UnifiedUsage } from "./unified";

describe("withStreamUsage", () => {
  it("asks for usage on streams only, keeping other stream options", () => {
    expect(withStreamUsage({ stream: true, stream_options: { x: 1 } })).toEqual({
      stream: true,
      stream_options: { x: 1, include_usage: true },
    });
    expect(withStreamUsage({ stream: false })).toEqual({ stream: false });
  });
});

describe("forwardOpenAiResponse", () => {
  it("passes JSON through as the same text and reports the provider's usage", async () => {
    const text =
      '{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],' +
      '"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}';
    let usage: UnifiedUsage | undefined;
    const res = await forwardOpenAiResponse(new Response(text), {
      provider: "custom",
      redact: (text: string) => text,
      stream: false,
      clientWantsUsage: false,
      promptText: "hello",
      onUsage: (u) => (usage = u),
    });
    expect(await res.text()).toBe(text);
    expect(usage).toEqual({ promptTokens: 4, completionTokens: 1 });
  });

  it("estimates (characters + 1) / 4 when the provider reports no usage", async () => {
    let usage: UnifiedUsage | undefined;
    await forwardOpenAiResponse(
      new Response('{"choices":[{"index":0,"message":{"role":"assistant","content":"abcdefg"}}]}'),
      {
        provider: "custom",
        redact: (text: string) => text,
        stream: false,
        clientWantsUsage: false,
        promptText: "abc",
        onUsage: (u) => (usage = u),
      },
    );
    expect(usage).toEqual({ promptTokens: 1, completionTokens: 2, estimated: true });
  });

  it("a JSON answer that is not JSON, or lacks choices, is a 502 naming what is wrong", async () => {
    const json = {
      provider: "custom",
      redact: (text: string) => text,
      stream: false,
      clientWantsUsage: false,
      promptText: "",
      onUsage: () => {},
    };
    await expect(forwardOpenAiResponse(new Response("<html>bad gateway</html>"), json)).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/it is not JSON/),
    });
    await expect(
      forwardOpenAiResponse(new Response('{"id":"x","object":"chat.completion"}'), json),
    ).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/'choices' is missing \(expected array\)/) });
    await expect(
      forwardOpenAiResponse(new Response('{"choices":[],"usage":{"prompt_tokens":"9"}}'), json),
    ).rejects.toMatchObject({ message: expect.stringMatching(/'usage.prompt_tokens' is string, expected number/) });
  });
});

describe("forwardOpenAiResponse for embeddings", () => {
  const floats = {
    object: "list",
    model: "m",
    data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
    usage: { prompt_tokens: 2, total_tokens: 2 },
  };
  const base64 = { ...floats, data: [{ object: "embedding", index: 0, embedding: "AAAAPwAAgL4=" }] };
  const forward = (body: unknown, encodingFormat: unknown) =>
    forwardOpenAiResponse(new Response(JSON.stringify(body)), {
      provider: "custom",
      redact: (text: string) => text,
      stream: false,
      clientWantsUsage: false,
      promptText: "hi",
      embeddings: { encodingFormat },
      onUsage: () => {},
    }).then((r) => r.json() as Promise<any>);

  it("answers base64 when the client asked for it, though the upstream sent floats", async () => {
    expect((await forward(floats, "base64")).data[0].embedding).toBe("AAAAPwAAgL4=");
  });

  it("answers floats when the client asked for floats (or nothing), though the upstream sent base64", async () => {
    expect((await forward(base64, "float")).data[0].embedding).toEqual([0.5, -0.25]);
    expect((await forward(base64, undefined)).data[0].embedding).toEqual([0.5, -0.25]);
  });

  it("passes the upstream's text through when it is already in the asked encoding", async () => {
    const text = JSON.stringify(floats);
    const res = await forwardOpenAiResponse(new Response(text), {
      provider: "custom",
      redact: (text: string) => text,
      stream: false,
      clientWantsUsage: false,
      promptText: "hi",
      embeddings: { encodingFormat: undefined },
      onUsage: () => {},
    });
    expect(await res.text()).toBe(text);
  });

  it("an embedding that is neither floats nor base64 is a 502 naming it", async () => {
    await expect(forward({ ...floats, data: [{ embedding: { values: [1] } }] }, "float")).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/'data\[0\].embedding' has none of the expected shapes/),
    });
  });
});
