/**
 * The end-to-end cases shared by the two Gemini-format providers (google-cloud-vertex-ai and palm):
 * chat plain / streamed / with tools, completions and embeddings through the openai SDK, the ai SDK
 * with @databricks/ai-sdk-provider, and LangChain's ChatOpenAI; usage; error mapping; and what the
 * provider's mock received. Each provider's test file supplies its config and its auth checks.
 */
import crypto from "node:crypto";
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady, type Task } from "../helpers";

export interface GeminiSuiteOptions {
  provider: "google-cloud-vertex-ai" | "palm";
  /** The provider config block (credentials as *_plaintext), given the mock's URL. */
  config(mockUrl: string): Promise<Record<string, unknown>>;
  /** The path the mock sees for a model method, e.g. `/v1beta/models/m:generateContent`. */
  path(model: string, method: string): string;
  /** Asserts the auth of a request the mock received for a model call. */
  checkAuth(headers: Record<string, string>, mockUrl: string): Promise<void>;
  embeddingModel: string;
  /** Whether the provider reports embedding token counts (Vertex does; the Gemini API does not). */
  embeddingUsageExact: boolean;
  /** Extra cases with access to the endpoint helpers. */
  extra?(ctx: SuiteContext): void;
}

interface SuiteContext {
  mockUrl(): string;
  createEndpoint(task: Task, model: string): Promise<string>;
  received(filter: (r: Received) => boolean): Promise<Received[]>;
}

export interface Received {
  seq: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: any;
  status: number;
}

const WEATHER_TOOL = {
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

export function geminiProviderSuite(options: GeminiSuiteOptions) {
  const tag = crypto.randomBytes(3).toString("hex");
  const models = {
    chat: `gemini-e2e-${tag}`,
    tool: `gemini-tool-${tag}`,
    completions: `gemini-text-${tag}`,
  };
  const endpoints: Record<string, string> = {};
  let mockUrl = "";

  function openai() {
    return new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
  }

  async function createEndpoint(task: Task, model: string): Promise<string> {
    const name = uniqueName(`${options.provider === "palm" ? "palm" : "vertex"}`);
    const configKey = options.provider === "palm" ? "palm_config" : "google_cloud_vertex_ai_config";
    const body = {
      name,
      config: {
        served_entities: [
          {
            name: "gemini",
            external_model: {
              name: model,
              provider: options.provider,
              task,
              [configKey]: await options.config(mockUrl),
            },
          },
        ],
      },
    };
    await ok(api("POST", "/api/2.0/serving-endpoints", { body }));
    return name;
  }

  async function received(filter: (r: Received) => boolean): Promise<Received[]> {
    const res = await fetch(`${mockUrl}/__mock/requests`);
    return ((await res.json()) as { requests: Received[] }).requests.filter(filter);
  }
  const lastFor = async (model: string) => (await received((r) => r.url.includes(`/models/${model}:`))).at(-1)!;

  const ctx: SuiteContext = { mockUrl: () => mockUrl, createEndpoint, received };

  describe(`${options.provider} through the gateway`, () => {
    beforeAll(async () => {
      const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
      if (!mocks?.[options.provider])
        throw new Error(
          `inject("e2e").providerMocks has no '${options.provider}' mock: ` +
            `the e2e global setup does not start test/mocks/providers yet.`,
        );
      mockUrl = mocks[options.provider]!;
      const specs: [string, Task, string][] = [
        ["chat", "llm/v1/chat", models.chat],
        ["tool", "llm/v1/chat", models.tool],
        ["completions", "llm/v1/completions", models.completions],
        ["embeddings", "llm/v1/embeddings", options.embeddingModel],
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
      it("chat: system prompt, sampling parameters, usage, and the Gemini request the provider received", async () => {
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
          // Databricks-only fields must never reach the provider.
          ...({ client_request_id: "req-1", usage_context: { team: "e2e" } } as object),
        });
        expect(res.object).toBe("chat.completion");
        expect(res.choices[0]?.message).toMatchObject({ role: "assistant", content: "Echo: hello from openai" });
        expect(res.choices[0]?.finish_reason).toBe("stop");
        // The mock counts words: prompt "be brief" + "hello from openai" = 5, answer "Echo: hello from openai" = 4.
        expect(res.usage).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });

        const upstream = await lastFor(models.chat);
        expect(upstream.url).toBe(options.path(models.chat, "generateContent"));
        expect(upstream.headers["content-type"]).toContain("application/json");
        await options.checkAuth(upstream.headers, mockUrl);
        expect(upstream.body).toEqual({
          systemInstruction: { parts: [{ text: "be brief" }] },
          contents: [{ role: "user", parts: [{ text: "hello from openai" }] }],
          generationConfig: { temperature: 0.2, topP: 0.9, maxOutputTokens: 64, stopSequences: ["END"] },
        });
      });

      it("chat streamed with include_usage: SSE deltas, a usage chunk, [DONE]", async () => {
        const stream = await openai().chat.completions.create({
          model: endpoints.chat!,
          messages: [{ role: "user", content: "stream this please" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = "";
        let finish: string | null = null;
        let usage: OpenAI.CompletionUsage | undefined;
        let chunks = 0;
        for await (const chunk of stream) {
          chunks++;
          text += chunk.choices[0]?.delta.content ?? "";
          finish = chunk.choices[0]?.finish_reason ?? finish;
          if (chunk.usage) usage = chunk.usage;
        }
        expect(text).toBe("Echo: stream this please");
        expect(finish).toBe("stop");
        expect(chunks).toBeGreaterThan(3);
        expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
        const upstream = await lastFor(models.chat);
        expect(upstream.url).toBe(`${options.path(models.chat, "streamGenerateContent")}?alt=sse`);
      });

      it("chat streamed over raw HTTP ends with data: [DONE]", async () => {
        const res = await api("POST", `/serving-endpoints/${endpoints.chat}/invocations`, {
          body: { messages: [{ role: "user", content: "raw" }], stream: true },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/event-stream");
        const events = sseData(res.text);
        expect(events.at(-1)).toBe("[DONE]");
        expect((events[0] as any).object).toBe("chat.completion.chunk");
      });

      it(
        "tools: a function call comes back as tool_calls, " + "and its result goes back as a functionResponse",
        async () => {
          const first = await openai().chat.completions.create({
            model: endpoints.tool!,
            messages: [{ role: "user", content: "weather in Paris?" }],
            tools: [WEATHER_TOOL],
            tool_choice: "auto",
          });
          const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
          expect(first.choices[0]!.finish_reason).toBe("tool_calls");
          expect(call.function.name).toBe("get_weather");
          expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
          expect(call.id).toMatch(/^call_/);
          const sent = await lastFor(models.tool);
          expect(sent.body.tools).toEqual([
            {
              functionDeclarations: [
                {
                  name: "get_weather",
                  description: "The weather of a city",
                  parameters: {
                    type: "object",
                    properties: { city: { type: "string", description: "City name" } },
                    required: ["city"],
                  },
                },
              ],
            },
          ]);
          expect(sent.body.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });

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
          const back = await lastFor(models.tool);
          expect(back.body.contents.slice(1)).toEqual([
            { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
            { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp_c: 21 } } }] },
          ]);
        },
      );

      it("tools streamed: tool-call deltas, finish_reason tool_calls; tool_choice required → ANY", async () => {
        const stream = await openai().chat.completions.create({
          model: endpoints.tool!,
          messages: [{ role: "user", content: "weather?" }],
          tools: [WEATHER_TOOL],
          tool_choice: "required",
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
        expect(calls[0]).toMatchObject({ name: "get_weather", args: '{"city":"Paris"}' });
        expect(calls[0]!.id).toMatch(/^call_/);
        expect(finish).toBe("tool_calls");
        expect(usage?.completion_tokens).toBe(5);
        expect((await lastFor(models.tool)).body.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
      });

      it("JSON mode and n map to responseMimeType and candidateCount", async () => {
        const res = await openai().chat.completions.create({
          model: endpoints.chat!,
          messages: [{ role: "user", content: "json please" }],
          response_format: { type: "json_object" },
          n: 2,
        });
        expect(res.choices).toHaveLength(2);
        expect(JSON.parse(res.choices[1]!.message.content!)).toEqual({ echo: "Echo: json please" });
        expect((await lastFor(models.chat)).body.generationConfig).toEqual({
          responseMimeType: "application/json",
          candidateCount: 2,
        });
      });

      it("completions (served by generateContent), plain and streamed", async () => {
        const res = await openai().completions.create({
          model: endpoints.completions!,
          prompt: "Once upon a time",
          max_tokens: 3,
        });
        expect(res.object).toBe("text_completion");
        expect(res.choices[0]).toMatchObject({ text: "Echo: Once upon", finish_reason: "length" });
        expect(res.usage?.prompt_tokens).toBe(4);
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
        expect(text).toBe("Echo: tell me");
        expect(usage?.completion_tokens).toBe(3);
      });

      it("embeddings, batched", async () => {
        const res = await openai().embeddings.create({
          model: endpoints.embeddings!,
          input: ["first text here", "second"],
          encoding_format: "float",
        });
        expect(res.data).toHaveLength(2);
        expect(res.data[1]!.index).toBe(1);
        expect(res.data[0]!.embedding).toHaveLength(8);
        expect(res.data[0]!.embedding).not.toEqual(res.data[1]!.embedding);
        if (options.embeddingUsageExact) expect(res.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
        else expect(res.usage.prompt_tokens).toBeGreaterThan(0);
        const upstream = await lastFor(options.embeddingModel);
        await options.checkAuth(upstream.headers, mockUrl);
        const dims = await openai().embeddings.create({ model: endpoints.embeddings!, input: "x", dimensions: 4 });
        expect(dims.data[0]!.embedding).toHaveLength(4);
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
        expect(result.usage.inputTokens).toBe(6);
        expect(result.usage.outputTokens).toBe(6);
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

      it("generateText with a tool (JSON schema converted for Gemini)", async () => {
        const result = await generateText({
          model: provider().chatCompletions(endpoints.tool!),
          prompt: "weather in Paris?",
          tools: {
            get_weather: tool({
              description: "The weather of a city",
              inputSchema: jsonSchema<{ city: string }>({
                $schema: "http://json-schema.org/draft-07/schema#",
                type: "object",
                properties: { city: { type: "string" } },
                required: ["city"],
                additionalProperties: false,
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

      it("invoke and stream", async () => {
        const answer = await chat(endpoints.chat!).invoke([
          ["system", "be brief"],
          ["human", "hello from langchain"],
        ]);
        expect(answer.content).toBe("Echo: hello from langchain");
        expect(answer.usage_metadata?.input_tokens).toBe(5);
        let text = "";
        for await (const chunk of await chat(endpoints.chat!).stream("stream from langchain"))
          text += chunk.content as string;
        expect(text).toBe("Echo: stream from langchain");
      });

      it("bindTools", async () => {
        const answer = await chat(endpoints.tool!).bindTools([WEATHER_TOOL]).invoke("weather in Paris?");
        expect(answer.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
      });
    });

    describe("errors", () => {
      const query = (
        endpoint: string,
        body: Record<string, unknown> = { messages: [{ role: "user", content: "x" }] },
      ) => api("POST", `/serving-endpoints/${endpoint}/invocations`, { body });

      it("provider 400 → 400 INVALID_PARAMETER_VALUE with the provider's message", async () => {
        const r = await query(endpoints["fail-400"]!);
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
        expect(r.body.message).toContain("Request contains an invalid argument.");
      });

      it("provider 401 → 502 about the endpoint's credentials", async () => {
        const r = await query(endpoints["fail-401"]!);
        expect(r.status).toBe(502);
        expect(r.body.message).toContain("rejected the endpoint's credentials");
      });

      it("provider 429 → 429 REQUEST_LIMIT_EXCEEDED with Retry-After", async () => {
        const r = await query(endpoints["fail-429"]!);
        expect(r.status).toBe(429);
        expect(r.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
        expect(r.headers.get("retry-after")).toBe("3");
      });

      it("provider 500 → 502, 503 → 503 TEMPORARILY_UNAVAILABLE, before the first byte of a stream too", async () => {
        expect((await query(endpoints["fail-500"]!)).status).toBe(502);
        const r = await query(endpoints["fail-503"]!);
        expect(r.status).toBe(503);
        expect(r.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
        const streamed = await query(endpoints["fail-503"]!, {
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        expect(streamed.status).toBe(503);
      });

      it("an OpenAI field Gemini cannot honour is a 400 naming it, and nothing is sent", async () => {
        const before = (await received(() => true)).length;
        const r = await query(endpoints.chat!, { messages: [{ role: "user", content: "x" }], logit_bias: { "1": 2 } });
        expect(r.status).toBe(400);
        expect(r.body.message).toContain(`${options.provider} does not support the field 'logit_bias'`);
        expect((await received(() => true)).length).toBe(before);
      });
    });

    options.extra?.(ctx);
  });
}
