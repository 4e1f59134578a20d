/**
 * Vercel's AI SDK (`ai`) with Databricks' provider: `createDatabricksProvider({ baseURL: host +
 * "/serving-endpoints", headers })` then `provider.chatCompletions(<endpoint>)`. The provider posts to
 * /serving-endpoints/chat/completions with `model` = endpoint name and content as `{type:"text"}` parts.
 */
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { generateText, streamText } from "ai";
import { beforeAll, describe, expect, it } from "vitest";
import { createMockEndpoint, e2e, mockRequests, type MockEndpoint } from "./helpers";

describe("ai SDK + @databricks/ai-sdk-provider", () => {
  let ep: MockEndpoint;
  const sent: { url: string; body: any }[] = [];

  function provider() {
    return createDatabricksProvider({
      baseURL: `${e2e().url}/serving-endpoints`,
      headers: { Authorization: `Bearer ${e2e().adminToken}` },
      // Records what the provider actually sends, to check the wire format it relies on.
      fetch: async (input, init) => {
        sent.push({
          url: String(input instanceof Request ? input.url : input),
          body: JSON.parse(String(init?.body ?? "null")),
        });
        return fetch(input, init);
      },
    });
  }

  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/chat", { prefix: "aisdk" });
  });

  it("generateText", async () => {
    const result = await generateText({
      model: provider().chatCompletions(ep.name),
      prompt: "hello from the ai sdk",
      maxRetries: 0,
    });
    expect(result.text).toBe("Echo: hello from the ai sdk");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.totalTokens).toBeGreaterThan(0);

    const request = sent.at(-1)!;
    expect(request.url).toBe(`${e2e().url}/serving-endpoints/chat/completions`);
    expect(request.body).toMatchObject({ model: ep.name, messages: [{ role: "user" }] });
    const upstream = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(upstream.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);
  });

  it("streamText", async () => {
    const result = streamText({
      model: provider().chatCompletions(ep.name),
      system: "answer briefly",
      messages: [{ role: "user", content: [{ type: "text", text: "stream via the ai sdk" }] }],
      maxRetries: 0,
      onError: () => {},
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Echo: stream via the ai sdk");
    expect(await result.finishReason).toBe("stop");
    expect(sent.at(-1)!.body.stream).toBe(true);
  });

  it("surfaces a gateway error (unknown endpoint) as a rejected call", async () => {
    await expect(
      generateText({ model: provider().chatCompletions("no-such-endpoint-aisdk"), prompt: "x", maxRetries: 0 }),
    ).rejects.toThrow();
  });
});
