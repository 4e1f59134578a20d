/**
 * The Anthropic-format ingress (POST /serving-endpoints/anthropic/v1/messages, model = endpoint name)
 * driven by Anthropic's own SDK against two chat endpoints: one on the OpenAI-compatible mock
 * (provider custom) and one on the Anthropic mock (provider anthropic).
 */
import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createMockEndpoint, e2e, mockRequests, ok, uniqueName, waitUntilReady } from "../helpers";

const WEATHER_TOOL = {
  name: "get_weather",
  description: "The weather of a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

function anthropicMockUrl(): string {
  const mocks = (e2e() as unknown as { providerMocks?: Record<string, string> }).providerMocks;
  if (!mocks?.anthropic)
    throw new Error(
      "inject(\"e2e\").providerMocks has no 'anthropic' mock: the " +
        "e2e global setup does not start test/mocks/providers yet.",
    );
  return mocks.anthropic;
}

/** The SDK as a user would configure it: the Edgeserve token as its API key. */
const client = (options: { apiKey?: string | null; authToken?: string } = {}) =>
  new Anthropic({
    baseURL: `${e2e().url}/serving-endpoints/anthropic`,
    apiKey: options.apiKey === undefined ? e2e().adminToken : options.apiKey,
    authToken: options.authToken ?? null,
    maxRetries: 0,
  });

describe("Anthropic SDK through /serving-endpoints/anthropic", () => {
  let customEp: { name: string; model: string };
  let anthropicEp: string;
  let anthropicToolEp: string;
  const anthropicModel = `claude-${uniqueName("ingress")}`;
  const anthropicToolModel = `claude-${uniqueName("ingress-tool")}`;

  beforeAll(async () => {
    anthropicMockUrl();
    customEp = await createMockEndpoint("llm/v1/chat", { prefix: "anth-ingress" });
    const create = async (model: string) => {
      const name = uniqueName("anth-ingress");
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
                    task: "llm/v1/chat",
                    anthropic_config: { anthropic_api_key_plaintext: "sk-ant-ingress-1" },
                  },
                },
              ],
            },
          },
        }),
      );
      await waitUntilReady(name);
      return name;
    };
    [anthropicEp, anthropicToolEp] = await Promise.all([create(anthropicModel), create(anthropicToolModel)]);
  });

  describe("endpoint on the custom (OpenAI-compatible) mock", () => {
    it("messages.create", async () => {
      const m = await client().messages.create({
        model: customEp.name,
        max_tokens: 64,
        system: "Be brief.",
        messages: [{ role: "user", content: "hello claude sdk" }],
      });
      expect(m).toMatchObject({
        type: "message",
        role: "assistant",
        model: customEp.name,
        content: [{ type: "text", text: "Echo: hello claude sdk" }],
        stop_reason: "end_turn",
      });
      expect(m.usage.input_tokens).toBeGreaterThan(0);
      expect(m.usage.output_tokens).toBeGreaterThan(0);
      const sent = (await mockRequests({ model: customEp.model })).at(-1)!;
      expect(sent.body).toMatchObject({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hello claude sdk" },
        ],
        max_tokens: 64,
      });
    });

    it("messages.stream", async () => {
      const stream = client().messages.stream({
        model: customEp.name,
        max_tokens: 64,
        messages: [{ role: "user", content: "stream through claude sdk" }],
      });
      let text = "";
      stream.on("text", (t) => (text += t));
      const final = await stream.finalMessage();
      expect(text).toBe("Echo: stream through claude sdk");
      expect(final.content).toEqual([
        expect.objectContaining({ type: "text", text: "Echo: stream through claude sdk" }),
      ]);
      expect(final.stop_reason).toBe("end_turn");
      expect(final.usage.input_tokens).toBeGreaterThan(0);
      expect(final.usage.output_tokens).toBeGreaterThan(0);
    });

    it("tools: the request reaches the upstream as OpenAI tools, and a tool_result round trip converts", async () => {
      const m = await client().messages.create({
        model: customEp.name,
        max_tokens: 64,
        tools: [WEATHER_TOOL],
        tool_choice: { type: "auto" },
        messages: [
          { role: "user", content: "weather in Paris?" },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } }],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_01", content: "18C" },
              { type: "text", text: "and tomorrow?" },
            ],
          },
        ],
      });
      expect(m.content[0]).toMatchObject({ type: "text", text: "Echo: and tomorrow?" });
      const sent = (await mockRequests({ model: customEp.model })).at(-1)!;
      expect(sent.body).toMatchObject({
        tools: [{ type: "function", function: { name: "get_weather", parameters: WEATHER_TOOL.input_schema } }],
        tool_choice: "auto",
        messages: [
          { role: "user", content: "weather in Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: "tool", tool_call_id: "toolu_01", content: "18C" },
          { role: "user", content: [{ type: "text", text: "and tomorrow?" }] },
        ],
      });
    });
  });

  describe("endpoint on the anthropic mock", () => {
    it("messages.create and messages.stream", async () => {
      const m = await client().messages.create({
        model: anthropicEp,
        max_tokens: 64,
        messages: [{ role: "user", content: "hi there" }],
      });
      expect(m.content).toEqual([expect.objectContaining({ type: "text", text: "Echo: hi there" })]);
      expect(m.usage.output_tokens).toBe(4);
      const final = await client()
        .messages.stream({ model: anthropicEp, max_tokens: 64, messages: [{ role: "user", content: "stream it" }] })
        .finalMessage();
      expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Echo: stream it" })]);
      expect(final.usage.output_tokens).toBe(4);
    });

    it("tools, plain and streamed (input_json_delta reassembled by the SDK)", async () => {
      const params = {
        model: anthropicToolEp,
        max_tokens: 64,
        tools: [WEATHER_TOOL],
        messages: [{ role: "user" as const, content: "weather in Paris?" }],
      };
      const m = await client().messages.create(params);
      expect(m.stop_reason).toBe("tool_use");
      expect(m.content.find((b) => b.type === "tool_use")).toMatchObject({
        type: "tool_use",
        name: "get_weather",
        input: { city: "Paris" },
      });

      const stream = client().messages.stream(params);
      let json = "";
      stream.on("inputJson", (partial) => (json += partial));
      const final = await stream.finalMessage();
      expect(final.stop_reason).toBe("tool_use");
      expect(final.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
      expect(final.content[1]).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Paris" } });
      expect(JSON.parse(json)).toEqual({ city: "Paris" });
      const upstream = (await (
        await fetch(`${anthropicMockUrl()}/__mock/requests?model=${anthropicToolModel}`)
      ).json()) as { requests: { headers: Record<string, string>; body: any }[] };
      expect(upstream.requests.at(-1)!.body).toMatchObject({
        tools: [{ name: "get_weather", input_schema: WEATHER_TOOL.input_schema }],
        stream: true,
      });
      expect(upstream.requests.at(-1)!.headers["x-api-key"]).toBe("sk-ant-ingress-1");
    });
  });

  describe("authentication and errors in Anthropic's shape", () => {
    it("accepts the token as x-api-key too (older SDKs, curl)", async () => {
      const res = await fetch(`${e2e().url}/serving-endpoints/anthropic/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": e2e().adminToken,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: customEp.name,
          max_tokens: 16,
          messages: [{ role: "user", content: "via x-api-key" }],
        }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as any).content[0].text).toBe("Echo: via x-api-key");
    });

    it("a bad token, a bad request and an unknown endpoint raise the SDK's typed errors", async () => {
      await expect(
        client({ apiKey: "dapi-not-a-token" }).messages.create({
          model: customEp.name,
          max_tokens: 8,
          messages: [{ role: "user", content: "x" }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      const bad = await client()
        .messages.create({
          model: customEp.name,
          max_tokens: 8,
          messages: [
            {
              role: "user",
              content: [{ type: "document", source: { type: "text", media_type: "text/plain", data: "x" } }],
            },
          ],
        })
        .catch((e) => e);
      expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
      expect(bad.error).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
      await expect(
        client().messages.create({
          model: uniqueName("missing"),
          max_tokens: 8,
          messages: [{ role: "user", content: "x" }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    });
  });
});
