/**
 * OpenAI's own SDK against the gateway's OpenAI-compatible routes, as Databricks documents it:
 * `new OpenAI({ baseURL: host + "/serving-endpoints", apiKey: <token> })` with `model` = endpoint name.
 */
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { embeddingFor } from "../mocks/openai-compatible-upstream";
import { createMockEndpoint, e2e, mockRequests, type MockEndpoint } from "./helpers";

function client() {
  return new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
}

describe("openai SDK: chat completions", () => {
  let ep: MockEndpoint;
  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/chat", { prefix: "oai-chat" });
  });

  it("chat.completions.create", async () => {
    const res = await client().chat.completions.create({
      model: ep.name,
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello from openai" },
      ],
      temperature: 0.2,
    });
    expect(res.object).toBe("chat.completion");
    expect(res.choices[0]?.message).toMatchObject({ role: "assistant", content: "Echo: hello from openai" });
    expect(res.choices[0]?.finish_reason).toBe("stop");
    expect(res.usage?.total_tokens).toBeGreaterThan(0);

    const last = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);
    expect(last.body).toMatchObject({ model: ep.model, temperature: 0.2 });
  });

  it("chat.completions.create with stream: true (and usage)", async () => {
    const stream = await client().chat.completions.create({
      model: ep.name,
      messages: [{ role: "user", content: "stream through the gateway" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Echo: stream through the gateway");
    expect(finish).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("an unknown endpoint is a 404 APIError", async () => {
    await expect(
      client().chat.completions.create({ model: "no-such-endpoint-e2e", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("a wrong token is a 401 AuthenticationError", async () => {
    const bad = new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: "dapi-wrong", maxRetries: 0 });
    await expect(
      bad.chat.completions.create({ model: ep.name, messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe("openai SDK: completions", () => {
  let ep: MockEndpoint;
  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/completions", { prefix: "oai-cmpl" });
  });

  it("completions.create", async () => {
    const res = await client().completions.create({ model: ep.name, prompt: "complete this", max_tokens: 16 });
    expect(res.object).toBe("text_completion");
    expect(res.choices[0]?.text).toBe(" Echo: complete this");
    const last = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(last.url).toBe("/v1/completions");
    expect(last.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);
  });

  it("completions.create with stream: true", async () => {
    const stream = await client().completions.create({ model: ep.name, prompt: "stream it", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe(" Echo: stream it");
  });
});

describe("openai SDK: embeddings", () => {
  let ep: MockEndpoint;
  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/embeddings", { prefix: "oai-emb" });
  });

  it("embeddings.create with the SDK's default (base64 on the wire)", async () => {
    const res = await client().embeddings.create({ model: ep.name, input: ["first text", "second text"] });
    expect(res.object).toBe("list");
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    const expected = embeddingFor("first text");
    expect(res.data[0]!.embedding).toHaveLength(expected.length);
    res.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 5));
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("embeddings.create with encoding_format float", async () => {
    const res = await client().embeddings.create({ model: ep.name, input: "one", encoding_format: "float" });
    expect(res.data[0]!.embedding).toEqual(embeddingFor("one"));
    const last = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(last.url).toBe("/v1/embeddings");
  });
});
