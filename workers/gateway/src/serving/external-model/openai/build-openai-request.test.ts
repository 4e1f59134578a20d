import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import {
  openAiAuthHeaders,
  openAiRequestBody,
  openAiRequestUrl,
  supportsStreamUsage,
  type OpenAiConfig,
} from "./build-openai-request";

const publicBase = (url: string) => url;
const mockBase = () => "http://127.0.0.1:9100";
const keys = new Map([["openai_api_key", "sk-123"]]);
const azure: OpenAiConfig = {
  openai_api_type: "azure",
  openai_api_key: "{{secrets/s/k}}",
  openai_api_base: "https://my-resource.openai.azure.com/",
  openai_deployment_name: "gpt4o-prod",
  openai_api_version: "2024-10-21",
};

describe("openAiRequestUrl", () => {
  it("uses OpenAI's public API by default, and the override's origin when one is set", () => {
    expect(openAiRequestUrl({}, "llm/v1/chat", publicBase)).toBe("https://api.openai.com/v1/chat/completions");
    expect(openAiRequestUrl({}, "llm/v1/embeddings", mockBase)).toBe("http://127.0.0.1:9100/v1/embeddings");
    expect(openAiRequestUrl({}, "llm/v1/completions", mockBase)).toBe("http://127.0.0.1:9100/v1/completions");
  });
  it("uses openai_api_base as given", () => {
    expect(openAiRequestUrl({ openai_api_base: "https://proxy.example.com/openai/v1/" }, "llm/v1/chat", mockBase)).toBe(
      "https://proxy.example.com/openai/v1/chat/completions",
    );
  });
  it("builds Azure deployment URLs with the api-version", () => {
    expect(openAiRequestUrl(azure, "llm/v1/chat", mockBase)).toBe(
      "https://my-resource.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21",
    );
    expect(openAiRequestUrl({ ...azure, openai_api_type: "azuread" }, "llm/v1/embeddings", mockBase)).toBe(
      "https://my-resource.openai.azure.com/openai/deployments/gpt4o-prod/embeddings?api-version=2024-10-21",
    );
  });
  it("rejects an Azure config without its deployment", () => {
    expect(() => openAiRequestUrl({ ...azure, openai_deployment_name: undefined }, "llm/v1/chat", mockBase)).toThrow(
      ApiError,
    );
  });
});

describe("openAiAuthHeaders", () => {
  it("sends OpenAI's bearer key and the organization", () => {
    expect(openAiAuthHeaders({ openai_organization: "org-1" }, keys)).toEqual({
      authorization: "Bearer sk-123",
      "openai-organization": "org-1",
    });
    expect(openAiAuthHeaders({}, keys)).toEqual({ authorization: "Bearer sk-123" });
  });
  it("sends Azure's api-key header", () => {
    expect(openAiAuthHeaders(azure, keys)).toEqual({ "api-key": "sk-123" });
  });
  it("sends the Entra ID token as a bearer token", () => {
    expect(openAiAuthHeaders({ ...azure, openai_api_type: "azuread" }, new Map(), "eyJ0")).toEqual({
      authorization: "Bearer eyJ0",
    });
  });
});

describe("supportsStreamUsage", () => {
  it("is always on for OpenAI and from 2024-09-01 on for Azure", () => {
    expect(supportsStreamUsage({})).toBe(true);
    expect(supportsStreamUsage(azure)).toBe(true);
    expect(supportsStreamUsage({ ...azure, openai_api_version: "2024-09-01-preview" })).toBe(true);
    expect(supportsStreamUsage({ ...azure, openai_api_version: "2025-04-01-preview" })).toBe(true);
    expect(supportsStreamUsage({ ...azure, openai_api_version: "2024-06-01" })).toBe(false);
    expect(supportsStreamUsage({ ...azure, openai_api_version: "2024-02-15-preview" })).toBe(false);
  });
});

describe("openAiRequestBody", () => {
  it("drops Databricks-only fields, merges extra_params and sets the model", () => {
    const body = {
      messages: [{ role: "user", content: "hi" }],
      client_request_id: "r",
      usage_context: { a: 1 },
      extra_params: { seed: 7 },
      model: "my-endpoint",
      n: 2,
    };
    expect(openAiRequestBody(body, "gpt-4o")).toEqual({
      messages: [{ role: "user", content: "hi" }],
      seed: 7,
      model: "gpt-4o",
      n: 2,
    });
  });
  it("rejects top_k, which OpenAI has no equivalent for", () => {
    expect(() => openAiRequestBody({ messages: [], top_k: 5 }, "gpt-4o")).toThrow(/openai does not support 'top_k'/);
  });
});
