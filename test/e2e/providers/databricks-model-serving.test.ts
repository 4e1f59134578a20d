/**
 * Provider `databricks-model-serving` end to end: against the workspace mock
 * (test/mocks/providers/databricks-model-serving.ts), and gateway → gateway, with an endpoint of this
 * Edgeserve stack calling another endpoint of the same stack through its public invocations route.
 */
import crypto from "node:crypto";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createMockEndpoint,
  e2e,
  mockRequests,
  ok,
  uniqueName,
  waitUntilReady,
  type MockEndpoint,
} from "../helpers";
import { openAiFormatSuite } from "./_openai-format-suite";

const token = `dapi${crypto.randomBytes(16).toString("hex")}`;

openAiFormatSuite({
  label: "databricks-model-serving (workspace mock)",
  mockKey: "databricks-model-serving",
  modelPrefix: "remote",
  externalModel: (model, mockUrl) => ({
    name: model,
    provider: "databricks-model-serving",
    databricks_model_serving_config: { databricks_workspace_url: mockUrl, databricks_api_token_plaintext: token },
  }),
  isFor: (r, model) => r.url === `/serving-endpoints/${model}/invocations`,
  checkRequest(r, model) {
    expect(r.url).toBe(`/serving-endpoints/${model}/invocations`);
    expect(r.headers.authorization).toBe(`Bearer ${token}`);
    expect(r.body).not.toHaveProperty("model");
    expect(r.status).toBe(200);
  },
  completions: true,
  embeddings: true,
  injectsStreamUsage: false,
  extra(ctx) {
    it("extra_params reach the remote endpoint as extra_params", async () => {
      await ctx.openai().chat.completions.create({
        model: ctx.endpoint("chat"),
        messages: [{ role: "user", content: "x" }],
        ...({ extra_params: { top_k: 5 } } as object),
      });
      const last = (await ctx.received((r) => r.url === `/serving-endpoints/${ctx.model("chat")}/invocations`)).at(-1)!;
      expect(last.body.extra_params).toEqual({ top_k: 5 });
    });
    it("streamed usage comes from the chunk that carries it (exact, not estimated)", async () => {
      const stream = await ctx.openai().chat.completions.create({
        model: ctx.endpoint("chat"),
        messages: [{ role: "user", content: "count me" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
      expect(usage?.completion_tokens).toBe(4);
    });
  },
});

describe("databricks-model-serving: gateway → gateway", () => {
  let inner: MockEndpoint;
  let outer: string;
  const openai = () =>
    new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });

  beforeAll(async () => {
    inner = await createMockEndpoint("llm/v1/chat", { prefix: "inner" });
    outer = uniqueName("outer");
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name: outer,
          config: {
            served_entities: [
              {
                name: "remote",
                external_model: {
                  name: inner.name,
                  provider: "databricks-model-serving",
                  task: "llm/v1/chat",
                  databricks_model_serving_config: {
                    databricks_workspace_url: e2e().url,
                    databricks_api_token_plaintext: e2e().adminToken,
                  },
                },
              },
            ],
          },
        },
      }),
    );
    await waitUntilReady(outer);
  });

  it("chat through two hops, with the inner provider's usage", async () => {
    const res = await openai().chat.completions.create({
      model: outer,
      messages: [{ role: "user", content: "two hops" }],
    });
    expect(res.choices[0]!.message.content).toBe("Echo: two hops");
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
    const upstream = (await mockRequests({ model: inner.model })).at(-1)!;
    expect(upstream.headers.authorization).toBe(`Bearer ${inner.upstreamToken}`);
  });

  it("streamed through two hops", async () => {
    const stream = await openai().chat.completions.create({
      model: outer,
      messages: [{ role: "user", content: "streamed hops" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Echo: streamed hops");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("an error of the inner endpoint keeps its status class", async () => {
    const r = await api("POST", `/serving-endpoints/${outer}/invocations`, { body: { messages: [] } });
    expect(r.status).toBe(400);
  });
});
