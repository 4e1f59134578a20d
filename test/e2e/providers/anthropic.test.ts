/**
 * Provider `anthropic` end to end: endpoints whose external model is on the local Anthropic mock
 * (test/mocks/providers/anthropic.ts, reached through EDGESERVE_PROVIDER_BASE_URLS), driven by
 * OpenAI's SDK, the AI SDK with @databricks/ai-sdk-provider and LangChain's ChatOpenAI; usage for
 * plain and streamed calls; error mapping; and what the mock received (x-api-key, anthropic-version,
 * a Messages body).
 */
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, e2e, ok, uniqueName, waitUntilReady } from "../helpers";

const API_KEY = "sk-ant-e2e-0123456789";
const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

function mockUrl(): string {
  const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
  if (!mocks?.anthropic)
    throw new Error(
      "inject(\"e2e\").providerMocks has no 'anthropic' mock: the " +
        "e2e global setup does not start test/mocks/providers yet.",
    );
  return mocks.anthropic;
}

async function mockRequests(
  model: string,
): Promise<{ url: string; headers: Record<string, string>; body: any; status: number }[]> {
  const res = await fetch(`${mockUrl()}/__mock/requests?model=${encodeURIComponent(model)}`);
  return ((await res.json()) as { requests: any[] }).requests;
}

/** Creates (without waiting) an endpoint serving `model` on the Anthropic mock. */
async function createAnthropicEndpoint(model: string, task = "llm/v1/chat"): Promise<string> {
  const name = uniqueName("anth");
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: {
          served_entities: [
            {
              name: "claude",
              external_model: {
                name: model,
                provider: "anthropic",
                task,
                anthropic_config: { anthropic_api_key_plaintext: API_KEY },
              },
            },
          ],
        },
      },
    }),
  );
  return name;
}

const endpoints: Record<string, string> = {};
const models: Record<string, string> = {};

beforeAll(async () => {
  mockUrl();
  const wanted: [string, string, string?][] = [
    ["chat", `claude-${uniqueName("chat")}`],
    ["tool", `claude-${uniqueName("tool")}`],
    ["completions", `claude-${uniqueName("cmpl")}`, "llm/v1/completions"],
    ["midstream", "midstream-error"],
    ...["fail-400", "fail-401", "fail-429", "fail-500", "fail-503", "fail-529"].map((m) => [m, m] as [string, string]),
  ];
  await Promise.all(
    wanted.map(async ([key, model, task]) => {
      models[key] = model;
      endpoints[key] = await createAnthropicEndpoint(model, task);
    }),
  );
  await Promise.all(Object.values(endpoints).map((name) => waitUntilReady(name)));
});

describe("provider anthropic", () => {
  const openai = () =>
    new OpenAI({ apiKey: e2e().adminToken, baseURL: `${e2e().url}/serving-endpoints`, maxRetries: 0 });

  describe("OpenAI SDK", () => {
    it("chat: answers in OpenAI's shape with Anthropic's token counts, and sends a Messages request", async () => {
      const r = await openai().chat.completions.create({
        model: endpoints.chat!,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: [{ type: "text", text: "hello anthropic" }] },
        ],
        temperature: 0.2,
        stop: ["END"],
      });
      expect(r.object).toBe("chat.completion");
      expect(r.choices[0]!.message.content).toBe("Echo: hello anthropic");
      expect(r.choices[0]!.finish_reason).toBe("stop");
      expect(r.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 4 });
      expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);

      const sent = (await mockRequests(models.chat!)).at(-1)!;
      expect(sent.url).toBe("/v1/messages");
      expect(sent.status).toBe(200);
      expect(sent.headers["x-api-key"]).toBe(API_KEY);
      expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
      expect(sent.body).toEqual({
        model: models.chat,
        system: "Be brief.",
        messages: [{ role: "user", content: "hello anthropic" }],
        max_tokens: 4096,
        temperature: 0.2,
        stop_sequences: ["END"],
      });
    });

    it("chat streamed: text deltas, [DONE], and the usage chunk when asked", async () => {
      const stream = await openai().chat.completions.create({
        model: endpoints.chat!,
        messages: [{ role: "user", content: "stream me please" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let usage: OpenAI.CompletionUsage | undefined;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("Echo: stream me please");
      expect(finish).toBe("stop");
      expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 5 });
      expect((await mockRequests(models.chat!)).at(-1)!.body.stream).toBe(true);
    });

    it(
      "tools: a tool call, plain and streamed (deltas reassemble " +
        "into valid JSON), then the tool result round trip",
      async () => {
        const r = await openai().chat.completions.create({
          model: endpoints.tool!,
          messages: [{ role: "user", content: "weather in Paris?" }],
          tools: [WEATHER],
          tool_choice: "auto",
        });
        const call = r.choices[0]!.message.tool_calls![0]!;
        expect(r.choices[0]!.finish_reason).toBe("tool_calls");
        expect(call.type === "function" && call.function.name).toBe("get_weather");
        expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
        expect((await mockRequests(models.tool!)).at(-1)!.body).toMatchObject({
          tools: [
            { name: "get_weather", description: "The weather of a city", input_schema: WEATHER.function.parameters },
          ],
          tool_choice: { type: "auto" },
        });

        const stream = await openai().chat.completions.create({
          model: endpoints.tool!,
          messages: [{ role: "user", content: "weather in Paris?" }],
          tools: [WEATHER],
          stream: true,
        });
        const calls: Record<number, { id?: string; name?: string; args: string }> = {};
        let finish: string | null | undefined;
        for await (const chunk of stream) {
          for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
            const c = (calls[d.index] ??= { args: "" });
            if (d.id) c.id = d.id;
            if (d.function?.name) c.name = d.function.name;
            c.args += d.function?.arguments ?? "";
          }
          finish = chunk.choices[0]?.finish_reason ?? finish;
        }
        // The tool_use is Anthropic's content block 1 (after a text block) but OpenAI's tool call 0.
        expect(Object.keys(calls)).toEqual(["0"]);
        expect(calls[0]!.name).toBe("get_weather");
        expect(calls[0]!.id).toMatch(/^toolu_/);
        expect(JSON.parse(calls[0]!.args)).toEqual({ city: "Paris" });
        expect(finish).toBe("tool_calls");

        const followUp = await openai().chat.completions.create({
          model: endpoints.chat!,
          messages: [
            { role: "user", content: "weather in Paris?" },
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: call.id, type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              ],
            },
            { role: "tool", tool_call_id: call.id, content: "18C and sunny" },
            { role: "user", content: "thanks" },
          ],
          tools: [WEATHER],
        });
        expect(followUp.choices[0]!.message.content).toContain("thanks");
        expect((await mockRequests(models.chat!)).at(-1)!.body.messages).toEqual([
          { role: "user", content: "weather in Paris?" },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: call.id, name: "get_weather", input: { city: "Paris" } }],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: call.id, content: "18C and sunny" },
              { type: "text", text: "thanks" },
            ],
          },
        ]);
      },
    );

    it("completions are served through Messages", async () => {
      const r = await openai().completions.create({ model: endpoints.completions!, prompt: "say hi", max_tokens: 20 });
      expect(r.object).toBe("text_completion");
      expect(r.choices[0]!.text).toBe("Echo: say hi");
      expect(r.usage?.completion_tokens).toBeGreaterThan(0);
      expect((await mockRequests(models.completions!)).at(-1)!.body).toMatchObject({
        messages: [{ role: "user", content: "say hi" }],
        max_tokens: 20,
      });
    });

    it("what Anthropic lacks is a 400 without calling it", async () => {
      const before = (await mockRequests(models.chat!)).length;
      for (const extra of [
        { n: 2 },
        { response_format: { type: "json_object" } },
        { presence_penalty: 0.5 },
        { temperature: 1.5 },
      ]) {
        const r = await api("POST", `/serving-endpoints/${endpoints.chat}/invocations`, {
          body: { messages: [{ role: "user", content: "x" }], ...extra },
        });
        expect(r.status, r.text).toBe(400);
        expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
      }
      expect((await mockRequests(models.chat!)).length).toBe(before);
    });
  });

  describe("AI SDK + @databricks/ai-sdk-provider", () => {
    const provider = () =>
      createDatabricksProvider({
        baseURL: `${e2e().url}/serving-endpoints`,
        headers: { Authorization: `Bearer ${e2e().adminToken}` },
      });

    it("generateText and streamText with usage", async () => {
      const result = await generateText({
        model: provider().chatCompletions(endpoints.chat!),
        prompt: "hello from the ai sdk",
        maxRetries: 0,
      });
      expect(result.text).toBe("Echo: hello from the ai sdk");
      expect(result.usage.outputTokens).toBe(7);
      const streamed = streamText({
        model: provider().chatCompletions(endpoints.chat!),
        prompt: "stream from the ai sdk",
        maxRetries: 0,
      });
      let text = "";
      for await (const part of streamed.textStream) text += part;
      expect(text).toBe("Echo: stream from the ai sdk");
      // No usage here: the provider does not send stream_options.include_usage, and OpenAI's protocol then carries
      // none.
    });

    it("generateText with a tool", async () => {
      const result = await generateText({
        model: provider().chatCompletions(endpoints.tool!),
        prompt: "weather in Paris?",
        tools: {
          get_weather: tool({
            description: "The weather of a city",
            inputSchema: jsonSchema<{ city: string }>({
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            }),
          }),
        },
        maxRetries: 0,
      });
      expect(result.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "Paris" } });
      expect(result.finishReason).toBe("tool-calls");
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

    it("invoke, stream and bindTools", async () => {
      const answer = await chat(endpoints.chat!).invoke([
        ["system", "be brief"],
        ["human", "hello from langchain"],
      ]);
      expect(answer.content).toBe("Echo: hello from langchain");
      expect(answer.usage_metadata?.output_tokens).toBe(5);
      let text = "";
      for await (const chunk of await chat(endpoints.chat!).stream("stream from langchain"))
        text += chunk.content as string;
      expect(text).toBe("Echo: stream from langchain");
      const withTool = await chat(endpoints.tool!).bindTools([WEATHER]).invoke("weather in Paris?");
      expect(withTool.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
    });
  });

  describe("errors", () => {
    const query = (key: string) =>
      api("POST", `/serving-endpoints/${endpoints[key]}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }] },
      });

    it("400 → 400 INVALID_PARAMETER_VALUE with Anthropic's message", async () => {
      const r = await query("fail-400");
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(r.body.message).toContain("text content blocks must be non-empty");
    });

    it("401 → 502 that blames the endpoint's credentials, never echoing the key", async () => {
      const r = await query("fail-401");
      expect(r.status).toBe(502);
      expect(r.body.message).toContain("rejected the endpoint's credentials");
      expect(r.text).not.toContain(API_KEY);
    });

    it("429 → 429 REQUEST_LIMIT_EXCEEDED with Retry-After", async () => {
      const r = await query("fail-429");
      expect(r.status).toBe(429);
      expect(r.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
      expect(r.headers.get("retry-after")).toBe("1");
    });

    it("500 → 502, 503 and 529 overloaded → 503 TEMPORARILY_UNAVAILABLE", async () => {
      expect((await query("fail-500")).status).toBe(502);
      const unavailable = await query("fail-503");
      expect(unavailable.status).toBe(503);
      expect(unavailable.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
      const overloaded = await query("fail-529");
      expect(overloaded.status).toBe(503);
      expect(overloaded.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    });

    it("an error event mid-stream ends the OpenAI stream with an error event", async () => {
      const r = await api("POST", `/serving-endpoints/${endpoints.midstream}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }], stream: true },
      });
      expect(r.status).toBe(200);
      expect(r.text).toContain('"error_code":"TEMPORARILY_UNAVAILABLE"');
    });
  });
});
