import { PROVIDERS } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import {
  PROVIDER_FORMS,
  aiGatewayBody,
  configBody,
  createBody,
  emptyEntity,
  emptyForm,
  emptyGuardrail,
  emptyRateLimit,
  formFromEndpoint,
  formProblems,
  lineDiff,
} from "./endpoint-form-model";

describe("PROVIDER_FORMS", () => {
  it("covers every provider the API accepts, with its config key and a credential field it knows", () => {
    expect(Object.keys(PROVIDER_FORMS).sort()).toEqual(Object.keys(PROVIDERS).sort());
    for (const [provider, form] of Object.entries(PROVIDER_FORMS)) {
      const spec = PROVIDERS[provider as keyof typeof PROVIDERS];
      expect(form.configKey, provider).toBe(spec.configKey);
      expect(spec.secretFields as readonly string[], provider).toContain(form.secretField);
    }
  });
});

describe("the endpoint form's body", () => {
  const form = {
    ...emptyForm(),
    name: "chat",
    entities: [
      {
        ...emptyEntity(0),
        model: "gpt-4o-mini",
        credential: { mode: "secret" as const, reference: "{{secrets/llm/openai}}" },
        trafficPercentage: 80,
      },
      {
        ...emptyEntity(1),
        provider: "custom" as const,
        model: "local",
        credential: { mode: "plaintext" as const, value: "sk-1" },
        providerExtra: '{"custom_provider_url":"http://127.0.0.1:9/v1"}',
        trafficPercentage: 20,
      },
    ],
    rateLimits: [{ ...emptyRateLimit(), calls: "10" }],
    guardrails: { input: { ...emptyGuardrail(), pii: "MASK" as const }, output: emptyGuardrail() },
  };

  it("puts credentials where each provider expects them, and the traffic split in routes", () => {
    expect(configBody(form)).toEqual({
      served_entities: [
        {
          name: "primary",
          external_model: {
            name: "gpt-4o-mini",
            provider: "openai",
            task: "llm/v1/chat",
            openai_config: { openai_api_key: "{{secrets/llm/openai}}" },
          },
        },
        {
          name: "entity-2",
          external_model: {
            name: "local",
            provider: "custom",
            task: "llm/v1/chat",
            custom_provider_config: {
              custom_provider_url: "http://127.0.0.1:9/v1",
              bearer_token_auth: { token_plaintext: "sk-1" },
            },
          },
        },
      ],
      traffic_config: {
        routes: [
          { served_entity_name: "primary", traffic_percentage: 80 },
          { served_entity_name: "entity-2", traffic_percentage: 20 },
        ],
      },
    });
    expect(createBody(form).ai_gateway).toEqual({
      usage_tracking_config: { enabled: true },
      inference_table_config: { enabled: false },
      rate_limits: [{ calls: 10, key: "user", renewal_period: "minute" }],
      guardrails: { input: { pii: { behavior: "MASK" } } },
    });
    expect(formProblems(form)).toEqual([]);
    expect(createBody({ ...form, fallbacks: true }).ai_gateway).toMatchObject({ fallback_config: { enabled: true } });
  });

  it("says when traffic does not sum to 100 or provider settings are not a JSON object", () => {
    const bad = {
      ...form,
      entities: [{ ...form.entities[0]!, trafficPercentage: 50, providerExtra: "[1]" }, form.entities[1]!],
    };
    expect(formProblems(bad)).toEqual([
      "Traffic percentages must sum to 100 (now 70).",
      "primary: provider settings must be a JSON object.",
    ]);
  });

  it("reads an endpoint back into the same form (edit)", () => {
    const body = createBody({ ...form, fallbacks: true, entities: [{ ...form.entities[0]!, trafficPercentage: 100 }] });
    const back = formFromEndpoint({ name: "chat", config: body.config as any, ai_gateway: body.ai_gateway as any });
    expect(createBody(back)).toEqual(body);
  });
});

describe("the AI Gateway part of the form", () => {
  const full = {
    ...emptyForm(),
    name: "gw",
    rateLimits: [
      { key: "endpoint" as const, principal: "", calls: "", tokens: "5000" },
      { key: "user_group" as const, principal: "analysts", calls: "20", tokens: "" },
      { key: "service_principal" as const, principal: "app-123", calls: "3", tokens: "900" },
    ],
    guardrails: {
      input: {
        safety: true,
        safetyEndpoint: "llama-guard",
        pii: "BLOCK" as const,
        invalidKeywords: "  secret project \n\nforbidden",
        validTopics: "billing\nsupport",
      },
      output: { ...emptyGuardrail(), pii: "MASK" as const, invalidKeywords: "internal" },
    },
  };

  it("sends token and per-principal rate limits and both guardrail directions as the API names them", () => {
    expect(aiGatewayBody(full)).toEqual({
      usage_tracking_config: { enabled: true },
      inference_table_config: { enabled: false },
      rate_limits: [
        { tokens: 5000, key: "endpoint", renewal_period: "minute" },
        { calls: 20, key: "user_group", principal: "analysts", renewal_period: "minute" },
        { calls: 3, tokens: 900, key: "service_principal", principal: "app-123", renewal_period: "minute" },
      ],
      guardrails: {
        input: {
          safety: true,
          safety_endpoint_name: "llama-guard",
          pii: { behavior: "BLOCK" },
          invalid_keywords: ["secret project", "forbidden"],
          valid_topics: ["billing", "support"],
        },
        output: { pii: { behavior: "MASK" }, invalid_keywords: ["internal"] },
      },
    });
  });

  it("reads every one of them back (edit)", () => {
    const body = aiGatewayBody(full);
    const back = formFromEndpoint({ name: "gw", ai_gateway: body });
    expect(aiGatewayBody(back)).toEqual(body);
  });
});

describe("lineDiff", () => {
  it("marks removed and added lines, keeping the common ones", () => {
    expect(lineDiff("a\nb\nc", "a\nx\nc")).toEqual([
      { kind: " ", line: "a" },
      { kind: "-", line: "b" },
      { kind: "+", line: "x" },
      { kind: " ", line: "c" },
    ]);
  });
});
