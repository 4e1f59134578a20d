/**
 * The end-to-end cases shared by the providers whose upstream speaks (nearly) OpenAI's format: openai
 * (plain, Azure key, Azure Entra ID), databricks-model-serving and ai21labs. Chat plain / streamed /
 * with tools, completions and embeddings where offered, through the openai SDK, the ai SDK with
 * @databricks/ai-sdk-provider, and LangChain's ChatOpenAI; exact usage (streamed or not); error mapping;
 * and what the provider's mock received. Each test file supplies the config and the request checks.
 */
import crypto from "node:crypto";
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { completionTokensOf, promptTokensOf, tokens } from "../../mocks/providers/_openai-wire";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady, type Task } from "../helpers";

export interface Received {
  seq: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: any;
  status: number;
}

export interface SuiteOptions {
  /** Name of the describe block, e.g. "openai (Azure, api-key)". */
  label: string;
  /** The key of the mock in inject("e2e").providerMocks. */
  mockKey: string;
  /** Prefix of model names (kept distinct per suite: several suites share one mock). */
  modelPrefix: string;
  /** The external_model (without task) serving `model`, given the mock's URL. */
  externalModel(model: string, mockUrl: string): Record<string, unknown>;
  /** Whether a request the mock received was for `model`. */
  isFor(r: Received, model: string): boolean;
  /** Asserts path, auth and headers of a request the mock received for `model`. */
  checkRequest(r: Received, model: string): void;
  completions: boolean;
  embeddings: boolean;
  /** Whether the gateway asks the upstream for stream usage itself (stream_options.include_usage). */
  injectsStreamUsage: boolean;
  extra?(ctx: SuiteContext): void;
}

interface SuiteContext {
  mockUrl(): string;
  endpoint(key: string): string;
  model(key: string): string;
  createEndpoint(task: Task, externalModel: Record<string, unknown>): Promise<string>;
  received(filter: (r: Received) => boolean): Promise<Received[]>;
  openai(): OpenAI;
}

export const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};

export function providerMockUrl(key: string): string {
  const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
  if (!mocks?.[key])
    throw new Error(
      `inject("e2e").providerMocks has no '${key}' mock: the e2e global setup does not start test/mocks/providers yet.`,
    );
  return mocks[key]!;
}

const usageOf = (messages: { content?: unknown }[], reply: string) => {
  const prompt = promptTokensOf(messages);
  const completion = completionTokensOf({ text: reply });
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
};

export function openAiFormatSuite(options: SuiteOptions) {
  const tag = crypto.randomBytes(3).toString("hex");
  const models: Record<string, string> = {
    chat: `${options.modelPrefix}-chat-${tag}`,
    tool: `${options.modelPrefix}-tool-${tag}`,
    completions: `${options.modelPrefix}-text-${tag}`,
    embeddings: `${options.modelPrefix}-embed-${tag}`,
    ...Object.fromEntries(
      ["400", "401", "429", "500", "503"].map((s) => [`fail-${s}`, `${options.modelPrefix}-fail-${s}-${tag}`]),
    ),
  };
  const endpoints: Record<string, string> = {};
  let mockUrl = "";

  const openai = () =>
    new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });

  async function createEndpoint(task: Task, externalModel: Record<string, unknown>): Promise<string> {
    const name = uniqueName(options.modelPrefix);
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: { name, config: { served_entities: [{ name: "upstream", external_model: { ...externalModel, task } }] } },
      }),
    );
    return name;
  }

  async function received(filter: (r: Received) => boolean): Promise<Received[]> {
    const res = await fetch(`${mockUrl}/__mock/requests`);
    return ((await res.json()) as { requests: Received[] }).requests.filter(filter);
  }
  const lastFor = async (key: string) => {
    const all = await received((r) => options.isFor(r, models[key]!));
    expect(all.length, `the mock received no request for ${models[key]}`).toBeGreaterThan(0);
    return all.at(-1)!;
  };

  const ctx: SuiteContext = {
    mockUrl: () => mockUrl,
    endpoint: (k) => endpoints[k]!,
    model: (k) => models[k]!,
    createEndpoint,
    received,
    openai,
  };

  describe(options.label, () => {
    beforeAll(async () => {
      mockUrl = providerMockUrl(options.mockKey);
      const specs: [string, Task][] = [
        ["chat", "llm/v1/chat"],
        ["tool", "llm/v1/chat"],
        ...(options.completions ? ([["completions", "llm/v1/completions"]] as [string, Task][]) : []),
        ...(options.embeddings ? ([["embeddings", "llm/v1/embeddings"]] as [string, Task][]) : []),
        ...(["fail-400", "fail-401", "fail-429", "fail-500", "fail-503"].map((k) => [k, "llm/v1/chat"]) as [
          string,
          Task,
        ][]),
      ];
      await Promise.all(
        specs.map(
          async ([key, task]) =>
            (endpoints[key] = await createEndpoint(task, options.externalModel(models[key]!, mockUrl))),
        ),
      );
      await Promise.all(Object.values(endpoints).map((name) => waitUntilReady(name)));
    });

    describe("openai SDK", () => {
      it("chat: the provider's usage, and what the provider received", async () => {
        const messages = [
          { role: "system" as const, content: "be brief" },
          { role: "user" as const, content: "hello from openai" },
        ];
        const res = await openai().chat.completions.create({
          model: endpoints.chat!,
          messages,
          temperature: 0.2,
          max_tokens: 64,
          ...({ client_request_id: "req-1", usage_context: { team: "e2e" } } as object),
        });
        expect(res.object).toBe("chat.completion");
        expect(res.choices[0]?.message).toMatchObject({ role: "assistant", content: "Echo: hello from openai" });
        expect(res.choices[0]?.finish_reason).toBe("stop");
        expect(res.usage).toMatchObject(usageOf(messages, "Echo: hello from openai"));

        const upstream = await lastFor("chat");
        options.checkRequest(upstream, models.chat!);
        expect(upstream.body).toMatchObject({ messages, temperature: 0.2, max_tokens: 64 });
        expect(upstream.body).not.toHaveProperty("client_request_id");
        expect(upstream.body).not.toHaveProperty("usage_context");
      });

      it("chat streamed with include_usage: deltas, the provider's usage chunk, [DONE]", async () => {
        const messages = [{ role: "user" as const, content: "stream this please" }];
        const stream = await openai().chat.completions.create({
          model: endpoints.chat!,
          messages,
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
        expect(usage).toMatchObject(usageOf(messages, "Echo: stream this please"));
        options.checkRequest(await lastFor("chat"), models.chat!);
      });

      it("chat streamed without include_usage: no usage chunk for the client, usage still read upstream", async () => {
        const res = await api("POST", `/serving-endpoints/${endpoints.chat}/invocations`, {
          body: { messages: [{ role: "user", content: "raw stream" }], stream: true },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/event-stream");
        const events = sseData(res.text);
        expect(events.at(-1)).toBe("[DONE]");
        expect(
          events.filter((e: any) => e !== "[DONE]" && Array.isArray(e.choices) && e.choices.length === 0 && e.usage),
        ).toHaveLength(0);
        const upstream = await lastFor("chat");
        if (options.injectsStreamUsage) expect(upstream.body.stream_options).toEqual({ include_usage: true });
        else expect(upstream.body.stream_options?.include_usage).not.toBe(true);
      });

      it("tools: a tool call comes back as tool_calls, and its result goes back", async () => {
        const first = await openai().chat.completions.create({
          model: endpoints.tool!,
          messages: [{ role: "user", content: "weather in Paris?" }],
          tools: [WEATHER_TOOL],
        });
        const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
        expect(first.choices[0]!.finish_reason).toBe("tool_calls");
        expect(call.function.name).toBe("get_weather");
        expect(JSON.parse(call.function.arguments)).toEqual({ city: "mock" });
        expect((await lastFor("tool")).body.tools).toEqual([WEATHER_TOOL]);

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
        const back = await lastFor("tool");
        expect(back.body.messages.at(-1)).toEqual({ role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' });
        expect(back.body.messages.at(-2).tool_calls[0]).toMatchObject({
          id: call.id,
          function: { name: "get_weather" },
        });
      });

      it("tools streamed: tool-call deltas and finish_reason tool_calls", async () => {
        const stream = await openai().chat.completions.create({
          model: endpoints.tool!,
          messages: [{ role: "user", content: "weather?" }],
          tools: [WEATHER_TOOL],
          stream: true,
          stream_options: { include_usage: true },
        });
        const calls: Record<number, { id?: string; name: string; args: string }> = {};
        let finish: string | null = null;
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
            const c = (calls[d.index] ??= { name: "", args: "" });
            if (d.id) c.id = d.id;
            c.name += d.function?.name ?? "";
            c.args += d.function?.arguments ?? "";
          }
          finish = chunk.choices[0]?.finish_reason ?? finish;
          if (chunk.usage) usage = chunk.usage;
        }
        expect(calls[0]).toMatchObject({ name: "get_weather", args: '{"city":"mock"}' });
        expect(calls[0]!.id).toMatch(/^call_/);
        expect(finish).toBe("tool_calls");
        expect(usage?.completion_tokens).toBe(tokens('get_weather{"city":"mock"}'));
      });

      if (options.completions)
        it("completions, plain and streamed", async () => {
          const res = await openai().completions.create({ model: endpoints.completions!, prompt: "Once upon a time" });
          expect(res.object).toBe("text_completion");
          expect(res.choices[0]!.text.trim()).toBe("Echo: Once upon a time");
          expect(res.usage?.completion_tokens).toBeGreaterThan(0);
          const stream = await openai().completions.create({
            model: endpoints.completions!,
            prompt: "tell me",
            stream: true,
            stream_options: { include_usage: true },
          });
          let text = "";
          let usage: OpenAI.CompletionUsage | undefined;
          for await (const chunk of stream) {
            text += chunk.choices[0]?.text ?? "";
            if (chunk.usage) usage = chunk.usage;
          }
          expect(text.trim()).toBe("Echo: tell me");
          expect(usage?.prompt_tokens).toBeGreaterThan(0);
          options.checkRequest(await lastFor("completions"), models.completions!);
        });

      if (options.embeddings)
        it("embeddings, batched, with the provider's usage", async () => {
          const res = await openai().embeddings.create({
            model: endpoints.embeddings!,
            input: ["first text here", "second"],
            encoding_format: "float",
          });
          expect(res.data).toHaveLength(2);
          expect(res.data[0]!.embedding).toHaveLength(8);
          expect(res.data[0]!.embedding).not.toEqual(res.data[1]!.embedding);
          expect(res.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
          const upstream = await lastFor("embeddings");
          options.checkRequest(upstream, models.embeddings!);
          expect(upstream.body.input).toEqual(["first text here", "second"]);
        });
    });

    describe("ai SDK + @databricks/ai-sdk-provider", () => {
      const provider = () =>
        createDatabricksProvider({
          baseURL: `${e2e().url}/serving-endpoints`,
          headers: { Authorization: `Bearer ${e2e().adminToken}` },
        });

      it("generateText", async () => {
        const result = await generateText({
          model: provider().chatCompletions(endpoints.chat!),
          system: "short",
          prompt: "hello from the ai sdk",
          maxRetries: 0,
        });
        expect(result.text).toBe("Echo: hello from the ai sdk");
        expect(result.finishReason).toBe("stop");
        expect(result.usage.outputTokens).toBe(tokens("Echo: hello from the ai sdk"));
      });

      it("streamText", async () => {
        const result = streamText({
          model: provider().chatCompletions(endpoints.chat!),
          prompt: "stream via the ai sdk",
          maxRetries: 0,
          onError: () => {},
        });
        let text = "";
        for await (const delta of result.textStream) text += delta;
        expect(text).toBe("Echo: stream via the ai sdk");
        expect(await result.finishReason).toBe("stop");
      });

      it("generateText and streamText with a tool", async () => {
        const tools = {
          get_weather: tool({
            description: "The weather of a city",
            inputSchema: jsonSchema<{ city: string }>({
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            }),
          }),
        };
        const result = await generateText({
          model: provider().chatCompletions(endpoints.tool!),
          prompt: "weather in Paris?",
          tools,
          maxRetries: 0,
        });
        expect(result.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "mock" } });
        expect(result.finishReason).toBe("tool-calls");
        const streamed = streamText({
          model: provider().chatCompletions(endpoints.tool!),
          prompt: "weather in Paris?",
          tools,
          maxRetries: 0,
          onError: () => {},
        });
        expect((await streamed.toolCalls)[0]).toMatchObject({ toolName: "get_weather", input: { city: "mock" } });
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

      it("invoke and stream, with usage", async () => {
        const answer = await chat(endpoints.chat!).invoke([
          ["system", "be brief"],
          ["human", "hello from langchain"],
        ]);
        expect(answer.content).toBe("Echo: hello from langchain");
        expect(answer.usage_metadata?.output_tokens).toBe(tokens("Echo: hello from langchain"));
        let text = "";
        let output = 0;
        for await (const chunk of await chat(endpoints.chat!).stream("stream from langchain")) {
          text += chunk.content as string;
          output += chunk.usage_metadata?.output_tokens ?? 0;
        }
        expect(text).toBe("Echo: stream from langchain");
        expect(output).toBe(tokens("Echo: stream from langchain"));
      });

      it("bindTools", async () => {
        const answer = await chat(endpoints.tool!).bindTools([WEATHER_TOOL]).invoke("weather in Paris?");
        expect(answer.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: "mock" } });
      });

      if (options.embeddings)
        it("OpenAIEmbeddings", async () => {
          const embeddings = new OpenAIEmbeddings({
            model: endpoints.embeddings!,
            apiKey: e2e().adminToken,
            configuration: { baseURL: `${e2e().url}/serving-endpoints` },
            maxRetries: 0,
          });
          const vectors = await embeddings.embedDocuments(["a b", "c"]);
          expect(vectors).toHaveLength(2);
          expect(vectors[0]).toHaveLength(8);
        });
    });

    describe("errors", () => {
      const query = (
        endpoint: string,
        body: Record<string, unknown> = { messages: [{ role: "user", content: "x" }] },
      ) => api("POST", `/serving-endpoints/${endpoint}/invocations`, { body });

      it("provider 400 → 400 INVALID_PARAMETER_VALUE with the provider's message", async () => {
        const r = await query(endpoints["fail-400"]!);
        expect(r.status, r.text).toBe(400);
        expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
        expect(r.body.message).toMatch(/scripted failure/i);
      });

      it("provider 401 → 502 about the endpoint's credentials", async () => {
        const r = await query(endpoints["fail-401"]!);
        expect(r.status, r.text).toBe(502);
        expect(r.body.message).toContain("rejected the endpoint's credentials");
      });

      it("provider 429 → 429 REQUEST_LIMIT_EXCEEDED with Retry-After", async () => {
        const r = await query(endpoints["fail-429"]!);
        expect(r.status, r.text).toBe(429);
        expect(r.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
        expect(r.headers.get("retry-after")).toBe("2");
      });

      it("provider 500 → 502, 503 → 503 TEMPORARILY_UNAVAILABLE, before the first byte of a stream too", async () => {
        expect((await query(endpoints["fail-500"]!)).status).toBe(502);
        const r = await query(endpoints["fail-503"]!);
        expect(r.status, r.text).toBe(503);
        expect(r.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
        const streamed = await query(endpoints["fail-503"]!, {
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        expect(streamed.status).toBe(503);
        await expect(
          openai().chat.completions.create({
            model: endpoints["fail-429"]!,
            messages: [{ role: "user", content: "x" }],
          }),
        ).rejects.toMatchObject({ status: 429 });
      });
    });

    options.extra?.(ctx);
  });
}
