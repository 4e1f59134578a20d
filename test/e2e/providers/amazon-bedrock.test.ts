/**
 * Amazon Bedrock (Converse / ConverseStream / InvokeModel, SigV4) through the gateway against its
 * local mock (test/mocks/providers/amazon-bedrock.ts), which verifies every signature with the test
 * key and streams real binary event-stream frames. Driven by the openai SDK, the ai SDK with
 * @databricks/ai-sdk-provider, and LangChain's ChatOpenAI.
 */
import crypto from "node:crypto";
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { BEDROCK_TEST_KEY } from "../../mocks/providers/amazon-bedrock";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady, waitUntilSettled, type Task } from "../helpers";

const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const tag = crypto.randomBytes(3).toString("hex");
const models = {
  chat: `anthropic.claude-3-haiku-${tag}-v1:0`,
  tool: `anthropic.claude-tool-${tag}-v1:0`,
  midstream: `anthropic.midstream-error-${tag}`,
  titan: "amazon.titan-embed-text-v2:0",
  cohereEmbed: "cohere.embed-english-v3",
};
const region = "eu-west-1";
const endpoints: Record<string, string> = {};
let mockUrl = "";

const openai = () => new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });

function bedrockConfig(
  provider: string,
  auth: Record<string, string> = {
    aws_access_key_id_plaintext: BEDROCK_TEST_KEY.accessKeyId,
    aws_secret_access_key_plaintext: BEDROCK_TEST_KEY.secretAccessKey,
  },
) {
  return { aws_region: region, bedrock_provider: provider, ...auth };
}

async function createEndpoint(task: Task, model: string, config = bedrockConfig("anthropic")): Promise<string> {
  const name = uniqueName("bedrock");
  const external_model = { name: model, provider: "amazon-bedrock", task, amazon_bedrock_config: config };
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: { name, config: { served_entities: [{ name: "bedrock", external_model }] } },
    }),
  );
  return name;
}

async function received(model: string): Promise<any[]> {
  const res = await fetch(`${mockUrl}/__mock/requests`);
  return ((await res.json()) as { requests: any[] }).requests.filter((r) =>
    r.url.startsWith(`/model/${encodeURIComponent(model)}/`),
  );
}

const invoke = (key: string, body: Record<string, unknown>) =>
  api("POST", `/serving-endpoints/${endpoints[key]}/invocations`, { body });

describe("amazon-bedrock through the gateway", () => {
  beforeAll(async () => {
    const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
    if (!mocks?.["amazon-bedrock"])
      throw new Error(
        `inject("e2e").providerMocks has no 'amazon-bedrock' mock: ` +
          `the e2e global setup does not start test/mocks/providers yet.`,
      );
    mockUrl = mocks["amazon-bedrock"];
    const specs: [string, Task, string, ReturnType<typeof bedrockConfig>?][] = [
      ["chat", "llm/v1/chat", models.chat],
      ["tool", "llm/v1/chat", models.tool],
      ["midstream", "llm/v1/chat", models.midstream],
      ["completions", "llm/v1/completions", models.chat],
      ["titan", "llm/v1/embeddings", models.titan, bedrockConfig("amazon")],
      ["cohereEmbed", "llm/v1/embeddings", models.cohereEmbed, bedrockConfig("cohere")],
      [
        "badSecret",
        "llm/v1/chat",
        models.chat,
        bedrockConfig("anthropic", {
          aws_access_key_id_plaintext: BEDROCK_TEST_KEY.accessKeyId,
          aws_secret_access_key_plaintext: "not-the-secret",
        }),
      ],
      [
        "instanceProfile",
        "llm/v1/chat",
        models.chat,
        bedrockConfig("anthropic", { instance_profile_arn: "arn:aws:iam::123456789012:instance-profile/bedrock" }),
      ],
      ...(["fail-400", "fail-401", "fail-429", "fail-500", "fail-503"].map((m) => [m, "llm/v1/chat", m]) as [
        string,
        Task,
        string,
      ][]),
    ];
    await Promise.all(
      specs.map(async ([key, task, model, config]) => (endpoints[key] = await createEndpoint(task, model, config))),
    );
    await Promise.all(
      Object.entries(endpoints).map(([key, name]) =>
        key === "instanceProfile" ? waitUntilSettled(name) : waitUntilReady(name),
      ),
    );
  });

  describe("openai SDK", () => {
    it("chat: a signed Converse call with system, inferenceConfig, and Bedrock's usage", async () => {
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
      // mock: inputTokens = words of user text + system (3 + 2); outputTokens = 5
      expect(res.usage).toEqual({ prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
      const upstream = (await received(models.chat)).at(-1);
      expect(upstream.url).toBe(`/model/${encodeURIComponent(models.chat)}/converse`);
      expect(upstream.status).toBe(200);
      expect(upstream.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${BEDROCK_TEST_KEY.accessKeyId}/\\d{8}/${region}/bedrock/aws4_request, ` +
            `SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(upstream.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
      expect(upstream.body).toEqual({
        system: [{ text: "be brief" }],
        messages: [{ role: "user", content: [{ text: "hello from openai" }] }],
        inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      });
    });

    it("chat streamed: event-stream frames become OpenAI chunks with a usage chunk and [DONE]", async () => {
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
      expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
      expect((await received(models.chat)).at(-1).url).toBe(
        `/model/${encodeURIComponent(models.chat)}/converse-stream`,
      );
    });

    it("an exception frame mid-stream becomes an error event after the text", async () => {
      const res = await invoke("midstream", { messages: [{ role: "user", content: "hi" }], stream: true });
      expect(res.status).toBe(200);
      const events = sseData(res.text) as any[];
      expect(events.filter((e) => e?.choices?.[0]?.delta?.content).length).toBeGreaterThan(0);
      // the stream's last event is the mapped error (modelStreamErrorException → 502)
      expect(events.at(-1)).toEqual({
        error: { error_code: "BAD_GATEWAY", message: expect.stringContaining("The model stream failed") },
      });
    });

    it("tools: toolConfig out, toolUse back as tool_calls, tool results as toolResult blocks", async () => {
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
      expect(sent.body.toolConfig).toEqual({
        tools: [
          {
            toolSpec: {
              name: "get_weather",
              description: "The weather of a city",
              inputSchema: { json: WEATHER_TOOL.function.parameters },
            },
          },
        ],
        toolChoice: { any: {} },
      });
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
          content: [
            { text: "Let me call a tool." },
            { toolUse: { toolUseId: call.id, name: "get_weather", input: { city: "mock" } } },
          ],
        },
        { role: "user", content: [{ toolResult: { toolUseId: call.id, content: [{ text: '{"temp_c":21}' }] } }] },
      ]);
    });

    it("tools streamed: tool-call deltas from contentBlockStart/Delta", async () => {
      const stream = await openai().chat.completions.create({
        model: endpoints.tool!,
        messages: [{ role: "user", content: "weather?" }],
        tools: [WEATHER_TOOL],
        stream: true,
      });
      let args = "";
      let name = "";
      let finish: string | null = null;
      for await (const chunk of stream) {
        for (const t of chunk.choices[0]?.delta.tool_calls ?? []) {
          name += t.function?.name ?? "";
          args += t.function?.arguments ?? "";
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(name).toBe("get_weather");
      expect(JSON.parse(args)).toEqual({ city: "mock" });
      expect(finish).toBe("tool_calls");
    });

    it("completions through Converse", async () => {
      const res = await openai().completions.create({
        model: endpoints.completions!,
        prompt: "complete me",
        max_tokens: 10,
      });
      expect(res.choices[0]?.text).toBe("Echo: complete me");
      expect(res.usage?.prompt_tokens).toBe(2);
    });

    it("embeddings as floats over raw HTTP", async () => {
      const res = await invoke("titan", { input: "raw text" });
      expect(res.status).toBe(200);
      expect(res.body.data[0].embedding).toHaveLength(8);
      expect(typeof res.body.data[0].embedding[0]).toBe("number");
    });

    it("embeddings: Titan (one InvokeModel per text, token counts) and Cohere (batched, estimated usage)", async () => {
      const titan = await openai().embeddings.create({
        model: endpoints.titan!,
        input: ["first text", "second one here"],
      });
      expect(titan.data).toHaveLength(2);
      expect(titan.data[1]!.embedding).toHaveLength(8);
      expect(titan.usage.prompt_tokens).toBe(5);
      const titanCalls = (await received(models.titan)).slice(-2);
      expect(titanCalls.map((r) => r.body.inputText).sort()).toEqual(["first text", "second one here"]);
      expect(titanCalls[0].url).toBe(`/model/${encodeURIComponent(models.titan)}/invoke`);

      const cohere = await openai().embeddings.create({ model: endpoints.cohereEmbed!, input: ["a", "b", "c"] });
      expect(cohere.data).toHaveLength(3);
      expect(cohere.usage.prompt_tokens).toBeGreaterThan(0);
      expect((await received(models.cohereEmbed)).at(-1).body).toEqual({
        texts: ["a", "b", "c"],
        input_type: "search_document",
      });
    });

    it("JSON mode is a 400 (Converse has none)", async () => {
      const res = await invoke("chat", {
        messages: [{ role: "user", content: "x" }],
        response_format: { type: "json_object" },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/JSON mode/);
    });
  });

  describe("ai SDK + @databricks/ai-sdk-provider", () => {
    const provider = () =>
      createDatabricksProvider({
        baseURL: `${e2e().url}/serving-endpoints`,
        headers: { Authorization: `Bearer ${e2e().adminToken}` },
      });
    it("generateText, streamText and tools", async () => {
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
      const withTools = await generateText({
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
      expect(withTools.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "mock" } });
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
        const res = await invoke(key, { messages: [{ role: "user", content: "x" }], stream });
        expect(res.status).toBe(status);
        expect(res.body.error_code).toBe(code);
        if (status === 429) expect(res.headers.get("retry-after")).toBe("1");
      }
    });

    it("a wrong secret key: the mock rejects the signature, the gateway answers 502 without the key", async () => {
      const res = await invoke("badSecret", { messages: [{ role: "user", content: "x" }] });
      expect(res.status).toBe(502);
      expect(res.body.message).toContain("rejected the endpoint's credentials");
      expect(res.text).not.toContain("not-the-secret");
      const last = (await received(models.chat)).filter((r) => r.status === 403).at(-1);
      expect(last).toBeDefined();
    });

    it("instance_profile_arn cannot be used outside AWS: the deployment fails, saying why", async () => {
      const { body } = await api("GET", `/api/2.0/serving-endpoints/${endpoints.instanceProfile}`);
      expect(body.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
      expect(body.pending_config.served_entities[0].state.deployment).toBe("DEPLOYMENT_FAILED");
      expect(body.pending_config.served_entities[0].state.deployment_state_message).toMatch(
        /instance_profile_arn cannot be used here: .* Cloudflare Workers have none/,
      );
      const res = await invoke("instanceProfile", { messages: [{ role: "user", content: "x" }] });
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe("INVALID_STATE");
    });
  });
});
