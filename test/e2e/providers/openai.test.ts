/**
 * Provider `openai` end to end against test/mocks/providers/openai.ts: OpenAI itself (the public base
 * URL swapped for the mock by EDGESERVE_PROVIDER_BASE_URLS), Azure OpenAI with an api-key, and Azure
 * OpenAI with a Microsoft Entra ID service principal (the token endpoint is served by the same mock).
 */
import crypto from "node:crypto";
import { expect, it } from "vitest";
import { api, waitUntilReady } from "../helpers";
import { openAiFormatSuite, type Received } from "./_openai-format-suite";

const openAiKey = `sk-e2e-${crypto.randomBytes(8).toString("hex")}`;
const azureKey = `azure-e2e-${crypto.randomBytes(8).toString("hex")}`;
const entraSecret = `entra-e2e-${crypto.randomBytes(8).toString("hex")}`;
const entraClientId = crypto.randomUUID();
const tenant = crypto.randomUUID();

openAiFormatSuite({
  label: "openai (api.openai.com)",
  mockKey: "openai",
  modelPrefix: "gpt",
  externalModel: (model) => ({
    name: model,
    provider: "openai",
    openai_config: { openai_api_key_plaintext: openAiKey, openai_organization: "org-e2e" },
  }),
  isFor: (r, model) => r.url.startsWith("/v1/") && r.body?.model === model,
  checkRequest(r) {
    expect(r.url).toMatch(/^\/v1\/(chat\/completions|completions|embeddings)$/);
    expect(r.headers.authorization).toBe(`Bearer ${openAiKey}`);
    expect(r.headers["openai-organization"]).toBe("org-e2e");
    expect(r.headers["content-type"]).toContain("application/json");
    expect(r.status).toBe(200);
  },
  completions: true,
  embeddings: true,
  injectsStreamUsage: true,
  extra(ctx) {
    it("top_k, which OpenAI lacks, is a 400 naming it and nothing is sent", async () => {
      const before = (await ctx.received(() => true)).length;
      const r = await api("POST", `/serving-endpoints/${ctx.endpoint("chat")}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }], top_k: 3 },
      });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain("openai does not support 'top_k'");
      expect((await ctx.received(() => true)).length).toBe(before);
    });
    it("extra_params are merged into the OpenAI body", async () => {
      await ctx.openai().chat.completions.create({
        model: ctx.endpoint("chat"),
        messages: [{ role: "user", content: "seeded" }],
        ...({ extra_params: { seed: 42 } } as object),
      });
      const last = (await ctx.received((r) => r.body?.model === ctx.model("chat"))).at(-1)!;
      expect(last.body.seed).toBe(42);
      expect(last.body).not.toHaveProperty("extra_params");
    });
  },
});

const azureConfig = (model: string, mockUrl: string, version = "2024-10-21") => ({
  openai_api_type: "azure",
  openai_api_key_plaintext: azureKey,
  openai_api_base: mockUrl,
  openai_deployment_name: model,
  openai_api_version: version,
});
const isAzureFor = (r: Received, model: string) => r.url.startsWith(`/openai/deployments/${model}/`);

openAiFormatSuite({
  label: "openai (Azure OpenAI, api-key)",
  mockKey: "openai",
  modelPrefix: "azure",
  externalModel: (model, mockUrl) => ({
    name: "gpt-4o",
    provider: "openai",
    openai_config: azureConfig(model, mockUrl),
  }),
  isFor: isAzureFor,
  checkRequest(r, model) {
    expect(r.url).toMatch(
      new RegExp(`^/openai/deployments/${model}/(chat/completions|completions|embeddings)\\?api-version=2024-10-21$`),
    );
    expect(r.headers["api-key"]).toBe(azureKey);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.status).toBe(200);
  },
  completions: true,
  embeddings: true,
  injectsStreamUsage: true,
  extra(ctx) {
    it("an API version before 2024-09-01 streams without stream_options (usage estimated)", async () => {
      const model = `azure-old-${crypto.randomBytes(3).toString("hex")}`;
      const name = await ctx.createEndpoint("llm/v1/chat", {
        name: "gpt-4o",
        provider: "openai",
        openai_config: azureConfig(model, ctx.mockUrl(), "2024-06-01"),
      });
      await waitUntilReady(name);
      const stream = await ctx
        .openai()
        .chat.completions.create({ model: name, messages: [{ role: "user", content: "old api" }], stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe("Echo: old api");
      const sent = (await ctx.received((r) => isAzureFor(r, model))).at(-1)!;
      expect(sent.url).toContain("api-version=2024-06-01");
      expect(sent.body).not.toHaveProperty("stream_options");
    });
  },
});

openAiFormatSuite({
  label: "openai (Azure OpenAI, Microsoft Entra ID)",
  mockKey: "openai",
  modelPrefix: "entra",
  externalModel: (model, mockUrl) => ({
    name: "gpt-4o",
    provider: "openai",
    openai_config: {
      openai_api_type: "azuread",
      microsoft_entra_client_id: entraClientId,
      microsoft_entra_tenant_id: tenant,
      microsoft_entra_client_secret_plaintext: entraSecret,
      openai_api_base: mockUrl,
      openai_deployment_name: model,
      openai_api_version: "2024-10-21",
    },
  }),
  isFor: isAzureFor,
  checkRequest(r, model) {
    expect(r.url).toMatch(new RegExp(`^/openai/deployments/${model}/`));
    expect(r.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(r.headers["api-key"]).toBeUndefined();
    expect(r.status).toBe(200);
  },
  completions: false,
  embeddings: true,
  injectsStreamUsage: true,
  extra(ctx) {
    it("the token comes from the client-credentials grant and is cached, not fetched per call", async () => {
      for (let i = 0; i < 3; i++)
        await ctx.openai().chat.completions.create({
          model: ctx.endpoint("chat"),
          messages: [{ role: "user", content: `cached ${i}` }],
        });
      const tokenRequests = await ctx.received((r) => r.url === `/${tenant}/oauth2/v2.0/token`);
      expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
      // Every call of this suite used the token: far fewer token requests than calls (one per isolate).
      const calls = await ctx.received((r) => r.url.startsWith("/openai/deployments/entra-"));
      expect(tokenRequests.length).toBeLessThan(calls.length);
      const first = tokenRequests[0]!;
      expect(first.method).toBe("POST");
      expect(first.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(first.body).toEqual({
        grant_type: "client_credentials",
        client_id: entraClientId,
        client_secret: entraSecret,
        scope: "https://cognitiveservices.azure.com/.default",
      });
      expect(first.status).toBe(200);
    });

    it("a client secret Entra ID rejects → 502 about the endpoint's credentials, secret never echoed", async () => {
      const model = `entra-bad-${crypto.randomBytes(3).toString("hex")}`;
      const name = await ctx.createEndpoint("llm/v1/chat", {
        name: "gpt-4o",
        provider: "openai",
        openai_config: {
          openai_api_type: "azuread",
          microsoft_entra_client_id: crypto.randomUUID(),
          microsoft_entra_tenant_id: tenant,
          microsoft_entra_client_secret_plaintext: "invalid-secret-value",
          openai_api_base: ctx.mockUrl(),
          openai_deployment_name: model,
          openai_api_version: "2024-10-21",
        },
      });
      await waitUntilReady(name);
      const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }] },
      });
      expect(r.status, r.text).toBe(502);
      expect(r.body.message).toContain("rejected the endpoint's credentials");
      expect(r.text).not.toContain("invalid-secret-value");
      expect(await ctx.received((rr) => isAzureFor(rr, model))).toHaveLength(0);
    });
  },
});
