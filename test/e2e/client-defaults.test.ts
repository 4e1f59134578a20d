/**
 * Real clients with their default settings, against upstreams that answer as real servers differ:
 * embeddings always as floats (Databricks, older TGI, many self-hosted servers) or always as base64
 * whatever `encoding_format` says, a server that refuses fields it does not know (`encoding_format`,
 * `stream_options`), one that never reports usage. The openai SDK asks for base64 embeddings by
 * default; the Databricks SDK and @databricks/ai-sdk-provider never ask for a usage chunk but read
 * usage where Databricks puts it; Anthropic's SDK (through the Anthropic ingress) expects token counts
 * in every stream. Each must get the right vectors, text and usage whatever the upstream does.
 */
import crypto from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { createDatabricksProvider } from "@databricks/ai-sdk-provider";
import { WorkspaceClient } from "@databricks/sdk-experimental";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { embeddingFor } from "../mocks/providers/_openai-wire";
import { databricksAgent } from "../tls-front";
import { api, e2e, ok, uniqueName, waitUntilReady } from "./helpers";
import { providerMockUrl } from "./providers/_openai-format-suite";

const tag = crypto.randomBytes(3).toString("hex");
const upstreamKey = `sk-defaults-${tag}`;

async function createEndpoint(prefix: string, externalModel: Record<string, unknown>): Promise<string> {
  const name = uniqueName(prefix);
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: { name, config: { served_entities: [{ name: "upstream", external_model: externalModel }] } },
    }),
  );
  return name;
}

/** An endpoint of provider `custom` on the fault upstream, answering in one of its wire shapes. */
const onFaultUpstream = (shape: string, task: string) =>
  createEndpoint(`def-${shape}`, {
    name: `fault-${shape}-${tag}`,
    provider: "custom",
    task,
    custom_provider_config: {
      custom_provider_url: `${e2e().faultUrl}/v1`,
      bearer_token_auth: { token_plaintext: upstreamKey },
    },
  });

/** Embeddings endpoints, by how their upstream answers `encoding_format`. */
const embeddings: Record<string, string> = {};
const chat: Record<string, string> = {};

const openai = (capture?: { body: string }) =>
  new OpenAI({
    baseURL: `${e2e().url}/serving-endpoints`,
    apiKey: e2e().adminToken,
    maxRetries: 0,
    // What the gateway answered on the wire, before the SDK decodes it.
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (capture) capture.body = await res.clone().text();
      return res;
    },
  });

function expectVector(actual: ArrayLike<number>, text: string) {
  const expected = embeddingFor(text, 8);
  expect(Array.from(actual)).toHaveLength(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, 6));
}

const fromBase64 = (text: string) => new Float32Array(Uint8Array.from(Buffer.from(text, "base64")).buffer);

describe("real clients with their default settings", () => {
  beforeAll(async () => {
    const databricksToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
    const created = await Promise.all([
      createEndpoint("def-databricks", {
        name: `embed-${tag}`,
        provider: "databricks-model-serving",
        task: "llm/v1/embeddings",
        databricks_model_serving_config: {
          databricks_workspace_url: providerMockUrl("databricks-model-serving"),
          databricks_api_token_plaintext: databricksToken,
        },
      }).then((n) => (embeddings["databricks-model-serving (floats)"] = n)),
      onFaultUpstream("floats-only", "llm/v1/embeddings").then((n) => (embeddings["custom, floats only"] = n)),
      onFaultUpstream("base64-only", "llm/v1/embeddings").then((n) => (embeddings["custom, base64 only"] = n)),
      onFaultUpstream("strict", "llm/v1/embeddings").then((n) => (embeddings["custom, refuses encoding_format"] = n)),
      onFaultUpstream("strict", "llm/v1/chat").then((n) => (chat.strict = n)),
      onFaultUpstream("no-usage", "llm/v1/chat").then((n) => (chat.noUsage = n)),
      onFaultUpstream("plain", "llm/v1/chat").then((n) => (chat.custom = n)),
      createEndpoint("def-anthropic", {
        name: `claude-${tag}`,
        provider: "anthropic",
        task: "llm/v1/chat",
        anthropic_config: { anthropic_api_key_plaintext: "sk-ant-defaults" },
      }).then((n) => (chat.anthropic = n)),
    ]);
    await Promise.all(created.map((name) => waitUntilReady(name)));
  });

  describe("embeddings", () => {
    it(
      "openai SDK, default encoding (base64 on the wire): the right vectors, " +
        "and base64 on the wire as asked, whatever the upstream answers",
      async () => {
        for (const [label, endpoint] of Object.entries(embeddings)) {
          const wire = { body: "" };
          const res = await openai(wire).embeddings.create({ model: endpoint, input: ["alpha text", "beta"] });
          expectVector(res.data[0]!.embedding, "alpha text");
          expectVector(res.data[1]!.embedding, "beta");
          const sent = JSON.parse(wire.body) as { data: { embedding: unknown }[] };
          expect(typeof sent.data[0]!.embedding, `${label}: the SDK asked for base64`).toBe("string");
          expectVector(fromBase64(sent.data[1]!.embedding as string), "beta");
        }
      },
    );

    it("openai SDK with encoding_format base64 gets base64 strings, with float gets float arrays", async () => {
      for (const [label, endpoint] of Object.entries(embeddings)) {
        const b64 = await openai().embeddings.create({ model: endpoint, input: "gamma", encoding_format: "base64" });
        expect(typeof b64.data[0]!.embedding, label).toBe("string");
        expectVector(fromBase64(b64.data[0]!.embedding as unknown as string), "gamma");
        const floats = await openai().embeddings.create({ model: endpoint, input: "gamma", encoding_format: "float" });
        expect(Array.isArray(floats.data[0]!.embedding), label).toBe(true);
        expectVector(floats.data[0]!.embedding, "gamma");
      }
    });

    it("Databricks SDK servingEndpoints.query with `input` gets float vectors", async () => {
      const { tlsUrl, ca, adminToken } = e2e();
      const w = new WorkspaceClient(
        { host: tlsUrl, token: adminToken, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 30 },
        { agent: databricksAgent(ca), product: "edgeserve-e2e", productVersion: "0.1.0" },
      );
      for (const [label, endpoint] of Object.entries(embeddings)) {
        const res = await w.servingEndpoints.query({ name: endpoint, input: ["delta"] });
        expect(Array.isArray(res.data?.[0]?.embedding), label).toBe(true);
        expectVector(res.data![0]!.embedding!, "delta");
      }
    });
  });

  describe("chat", () => {
    it(
      "openai SDK streaming through an upstream that refuses " +
        "stream_options: the text, and the usage chunk it asked for",
      async () => {
        const plain = await openai().chat.completions.create({
          model: chat.strict!,
          messages: [{ role: "user", content: "strict one" }],
          stream: true,
        });
        let text = "";
        for await (const chunk of plain) text += chunk.choices[0]?.delta.content ?? "";
        expect(text).toBe("Echo: strict one");

        const counted = await openai().chat.completions.create({
          model: chat.strict!,
          messages: [{ role: "user", content: "strict two" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of counted) if (chunk.usage) usage = chunk.usage;
        expect(usage?.completion_tokens).toBeGreaterThan(0);
        expect(usage?.prompt_tokens).toBeGreaterThan(0);
      },
    );

    it(
      "openai SDK with include_usage through an upstream that " +
        "never reports usage still gets a usage chunk (estimated)",
      async () => {
        const stream = await openai().chat.completions.create({
          model: chat.noUsage!,
          messages: [{ role: "user", content: "count this" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        const usage: OpenAI.CompletionUsage[] = [];
        for await (const chunk of stream) if (chunk.usage) usage.push(chunk.usage);
        expect(usage).toHaveLength(1);
        expect(usage[0]!.completion_tokens).toBeGreaterThan(0);
      },
    );

    it(
      "ai SDK + @databricks/ai-sdk-provider (which never asks for a " +
        "usage chunk) gets the usage of streamed answers, as from Databricks",
      async () => {
        const provider = createDatabricksProvider({
          baseURL: `${e2e().url}/serving-endpoints`,
          headers: { Authorization: `Bearer ${e2e().adminToken}` },
        });
        for (const endpoint of [chat.custom!, chat.anthropic!]) {
          const result = streamText({
            model: provider.chatCompletions(endpoint),
            messages: [{ role: "user", content: [{ type: "text", text: "usage please" }] }],
            maxRetries: 0,
            onError: () => {},
          });
          let text = "";
          for await (const delta of result.textStream) text += delta;
          expect(text).toBe("Echo: usage please");
          const usage = await result.usage;
          expect(usage.inputTokens, endpoint).toBeGreaterThan(0);
          expect(usage.outputTokens, endpoint).toBeGreaterThan(0);
          const whole = await generateText({
            model: provider.chatCompletions(endpoint),
            prompt: "usage please",
            maxRetries: 0,
          });
          expect(whole.usage.outputTokens, endpoint).toBeGreaterThan(0);
        }
      },
    );

    it(
      "Anthropic SDK (through the Anthropic ingress) gets " + "token counts from an upstream that reports none",
      async () => {
        const anthropic = new Anthropic({
          baseURL: `${e2e().url}/serving-endpoints/anthropic`,
          apiKey: e2e().adminToken,
          maxRetries: 0,
        });
        const final = await anthropic.messages
          .stream({ model: chat.noUsage!, max_tokens: 64, messages: [{ role: "user", content: "no usage upstream" }] })
          .finalMessage();
        expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Echo: no usage upstream" })]);
        expect(final.usage.output_tokens).toBeGreaterThan(0);
      },
    );
  });
});
