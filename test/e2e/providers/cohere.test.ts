/**
 * Cohere (v2 chat + embed) through the gateway against its local mock (test/mocks/providers/cohere.ts):
 * chat plain / streamed / tools and embeddings by the openai SDK, the ai SDK with
 * @databricks/ai-sdk-provider, and LangChain's ChatOpenAI; usage; error mapping; what Cohere received.
 */
import crypto from "node:crypto";
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady, type Task } from "../helpers";

const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const tag = crypto.randomBytes(3).toString("hex");
const models = { chat: `command-r-${tag}`, tool: `command-tool-${tag}`, embed: `embed-english-v3.0-${tag}` };
const apiKey = crypto
  .randomBytes(30)
  .toString("base64")
  .replace(/[^A-Za-z0-9]/g, "")
  .padEnd(40, "x")
  .slice(0, 40);
const endpoints: Record<string, string> = {};
let mockUrl = "";

const openai = () => new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });

async function createEndpoint(task: Task, model: string, key = apiKey): Promise<string> {
  const name = uniqueName("cohere");
  const external_model = { name: model, provider: "cohere", task, cohere_config: { cohere_api_key_plaintext: key } };
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: { name, config: { served_entities: [{ name: "cohere", external_model }] } },
    }),
  );
  return name;
}

async function received(model: string): Promise<any[]> {
  const res = await fetch(`${mockUrl}/__mock/requests`);
  return ((await res.json()) as { requests: any[] }).requests.filter((r) => r.body?.model === model);
}

describe("cohere through the gateway", () => {
  beforeAll(async () => {
    const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
    if (!mocks?.cohere)
      throw new Error(
        `inject("e2e").providerMocks has no 'cohere' mock: the ` +
          `e2e global setup does not start test/mocks/providers yet.`,
      );
    mockUrl = mocks.cohere;
    const specs: [string, Task, string][] = [
      ["chat", "llm/v1/chat", models.chat],
      ["tool", "llm/v1/chat", models.tool],
      ["completions", "llm/v1/completions", models.chat],
      ["embeddings", "llm/v1/embeddings", models.embed],
      ...(["fail-400", "fail-401", "fail-429", "fail-500", "fail-503"].map((m) => [m, "llm/v1/chat", m]) as [
        string,
        Task,
        string,
      ][]),
    ];
    await Promise.all(specs.map(async ([key, task, model]) => (endpoints[key] = await createEndpoint(task, model))));
    await Promise.all(Object.values(endpoints).map((name) => waitUntilReady(name)));
  });

  describe("openai SDK", () => {
    it("chat: Cohere v2 body, bearer key, usage from Cohere's token counts", async () => {
      const res = await openai().chat.completions.create({
        model: endpoints.chat!,
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hello from openai" },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 64,
        stop: ["END"],
        ...({ client_request_id: "req-1", usage_context: { team: "e2e" } } as object),
      });
      expect(res.choices[0]?.message).toMatchObject({ role: "assistant", content: "Echo: hello from openai" });
      expect(res.choices[0]?.finish_reason).toBe("stop");
      // mock: tokens.input = words of the messages (2 + 3) + 5; output = "Echo", ":", "hello", "from", "openai"
      expect(res.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
      const upstream = (await received(models.chat)).at(-1);
      expect(upstream.url).toBe("/v2/chat");
      expect(upstream.headers.authorization).toBe(`Bearer ${apiKey}`);
      expect(upstream.body).toEqual({
        model: models.chat,
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hello from openai" },
        ],
        temperature: 0.2,
        p: 0.9,
        max_tokens: 64,
        stop_sequences: ["END"],
        stream: false,
      });
    });

    it("chat streamed with include_usage: deltas, usage chunk, [DONE]", async () => {
      const stream = await openai().chat.completions.create({
        model: endpoints.chat!,
        messages: [{ role: "user", content: "stream this please" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("Echo: stream this please");
      expect(finish).toBe("stop");
      expect(usage).toEqual({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
      expect((await received(models.chat)).at(-1).body.stream).toBe(true);
    });

    it("raw HTTP stream ends with data: [DONE]", async () => {
      const res = await api("POST", `/serving-endpoints/${endpoints.chat}/invocations`, {
        body: { messages: [{ role: "user", content: "raw" }], stream: true },
      });
      expect(res.status).toBe(200);
      const events = sseData(res.text);
      expect(events.at(-1)).toBe("[DONE]");
      expect((events[0] as any).object).toBe("chat.completion.chunk");
    });

    it("tools: tool_calls out, tool results back as Cohere tool messages", async () => {
      const first = await openai().chat.completions.create({
        model: endpoints.tool!,
        messages: [{ role: "user", content: "weather in Paris?" }],
        tools: [WEATHER_TOOL],
        tool_choice: "required",
      });
      const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
      expect(first.choices[0]!.finish_reason).toBe("tool_calls");
      expect(call.function.name).toBe("get_weather");
      expect(JSON.parse(call.function.arguments)).toEqual({ city: "mock" });
      const sent = (await received(models.tool)).at(-1);
      expect(sent.body.tools).toEqual([WEATHER_TOOL]);
      expect(sent.body.tool_choice).toBe("REQUIRED");

      const second = await openai().chat.completions.create({
        model: endpoints.tool!,
        messages: [
          { role: "user", content: "weather in Paris?" },
          first.choices[0]!.message,
          { role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' },
        ],
        tools: [WEATHER_TOOL],
      });
      expect(second.choices[0]!.message.content).toBe('Tool result: {"temp_c":21}');
      const back = (await received(models.tool)).at(-1);
      expect(back.body.messages.slice(1)).toEqual([
        {
          role: "assistant",
          tool_plan: "I will use the get_weather tool.",
          tool_calls: [
            { id: call.id, type: "function", function: { name: "get_weather", arguments: call.function.arguments } },
          ],
        },
        { role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' },
      ]);
    });

    it("tools streamed: tool-call deltas and finish_reason tool_calls", async () => {
      const stream = await openai().chat.completions.create({
        model: endpoints.tool!,
        messages: [{ role: "user", content: "weather?" }],
        tools: [WEATHER_TOOL],
        stream: true,
        stream_options: { include_usage: true },
      });
      let args = "";
      let name = "";
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        for (const t of chunk.choices[0]?.delta.tool_calls ?? []) {
          name += t.function?.name ?? "";
          args += t.function?.arguments ?? "";
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(name).toBe("get_weather");
      expect(JSON.parse(args)).toEqual({ city: "mock" });
      expect(finish).toBe("tool_calls");
      expect(usage?.prompt_tokens).toBeGreaterThan(0);
    });

    it("completions are served by Cohere's chat API", async () => {
      const res = await openai().completions.create({
        model: endpoints.completions!,
        prompt: "complete me",
        max_tokens: 10,
      });
      expect(res.object).toBe("text_completion");
      expect(res.choices[0]?.text).toBe("Echo: complete me");
      expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
      const sent = (await received(models.chat)).at(-1);
      expect(sent.url).toBe("/v2/chat");
      expect(sent.body.messages).toEqual([{ role: "user", content: "complete me" }]);
    });

    it("embeddings: batched input, float embeddings, billed tokens", async () => {
      const res = await openai().embeddings.create({
        model: endpoints.embeddings!,
        input: ["first text", "second one here"],
      });
      expect(res.data.map((d) => d.index)).toEqual([0, 1]);
      expect(res.data[0]!.embedding).toHaveLength(8);
      expect(res.usage.prompt_tokens).toBe(5);
      const sent = (await received(models.embed)).at(-1);
      expect(sent.url).toBe("/v2/embed");
      expect(sent.body).toEqual({
        model: models.embed,
        texts: ["first text", "second one here"],
        input_type: "search_document",
        embedding_types: ["float"],
      });
    });

    it("a parameter Cohere lacks is a 400, not dropped", async () => {
      const res = await api("POST", `/serving-endpoints/${endpoints.chat}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }], n: 2 },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/Cohere does not support 'n'/);
    });
  });

  describe("ai SDK + @databricks/ai-sdk-provider", () => {
    const provider = () =>
      createDatabricksProvider({
        baseURL: `${e2e().url}/serving-endpoints`,
        headers: { Authorization: `Bearer ${e2e().adminToken}` },
      });
    it("generateText and streamText", async () => {
      const result = await generateText({
        model: provider().chatCompletions(endpoints.chat!),
        prompt: "hello ai sdk",
        maxRetries: 0,
      });
      expect(result.text).toBe("Echo: hello ai sdk");
      expect(result.usage.totalTokens).toBeGreaterThan(0);
      const streamed = streamText({
        model: provider().chatCompletions(endpoints.chat!),
        system: "be brief",
        prompt: "stream ai sdk",
        maxRetries: 0,
        onError: () => {},
      });
      let text = "";
      for await (const d of streamed.textStream) text += d;
      expect(text).toBe("Echo: stream ai sdk");
      expect(await streamed.finishReason).toBe("stop");
    });
    it("tools", async () => {
      const result = await generateText({
        model: provider().chatCompletions(endpoints.tool!),
        prompt: "weather?",
        tools: {
          get_weather: tool({
            description: "weather",
            inputSchema: jsonSchema<{ city: string }>({
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            }),
          }),
        },
        maxRetries: 0,
      });
      expect(result.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "mock" } });
    });
  });

  describe("LangChain ChatOpenAI", () => {
    const chat = (model: string) =>
      new ChatOpenAI({
        model,
        apiKey: e2e().adminToken,
        configuration: { baseURL: `${e2e().url}/serving-endpoints` },
        maxRetries: 0,
      });
    it("invoke, stream and tool calls", async () => {
      const msg = await chat(endpoints.chat!).invoke("hello langchain");
      expect(msg.content).toBe("Echo: hello langchain");
      expect(msg.usage_metadata?.total_tokens).toBeGreaterThan(0);
      let text = "";
      for await (const c of await chat(endpoints.chat!).stream("stream langchain")) text += c.content;
      expect(text).toBe("Echo: stream langchain");
      const withTools = await chat(endpoints.tool!).bindTools([WEATHER_TOOL]).invoke("weather?");
      expect(withTools.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: "mock" } });
    });
  });

  describe("errors", () => {
    it.each([
      ["fail-400", 400, "INVALID_PARAMETER_VALUE"],
      ["fail-401", 502, "BAD_GATEWAY"],
      ["fail-429", 429, "REQUEST_LIMIT_EXCEEDED"],
      ["fail-500", 502, "BAD_GATEWAY"],
      ["fail-503", 503, "TEMPORARILY_UNAVAILABLE"],
    ])("%s → %i %s", async (key, status, code) => {
      for (const stream of [false, true]) {
        const res = await api("POST", `/serving-endpoints/${endpoints[key]}/invocations`, {
          body: { messages: [{ role: "user", content: "x" }], stream },
        });
        expect(res.status).toBe(status);
        expect(res.body.error_code).toBe(code);
        expect(res.text).not.toContain(apiKey);
        if (status === 429) expect(res.headers.get("retry-after")).toBe("1");
        if (status === 400) expect(res.body.message).toContain("is not supported for this request");
      }
    });
  });
});
