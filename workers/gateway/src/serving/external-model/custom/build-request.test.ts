import type { ExternalModel } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { authHeaders, toUpstreamBody, upstreamUrl } from "./build-request";

describe("toUpstreamBody", () => {
  it("drops Databricks-only fields, merges extra_params and sets the model", () => {
    const body = {
      messages: [],
      client_request_id: "r1",
      usage_context: { a: 1 },
      extra_params: { seed: 3 },
      model: "my-endpoint",
      temperature: 0.2,
    };
    expect(toUpstreamBody(body, "gpt-4o")).toEqual({ messages: [], seed: 3, model: "gpt-4o", temperature: 0.2 });
  });
});

describe("upstreamUrl", () => {
  it("joins the base URL and the task's path", () => {
    expect(upstreamUrl("https://h/v1", "llm/v1/chat")).toBe("https://h/v1/chat/completions");
    expect(upstreamUrl("https://h/v1/", "llm/v1/embeddings")).toBe("https://h/v1/embeddings");
    expect(upstreamUrl("http://127.0.0.1:9000/openai/v1", "llm/v1/completions")).toBe(
      "http://127.0.0.1:9000/openai/v1/completions",
    );
  });
});

describe("authHeaders", () => {
  const model = (config: object) =>
    ({
      name: "m",
      provider: "custom",
      task: "llm/v1/chat",
      custom_provider_config: { custom_provider_url: "https://h", ...config },
    }) as ExternalModel;
  it("sends a bearer token", () => {
    expect(
      authHeaders(
        model({ bearer_token_auth: { token: "{{secrets/s/k}}" } }),
        new Map([["bearer_token_auth.token", "t0k"]]),
      ),
    ).toEqual({ authorization: "Bearer t0k" });
  });
  it("sends an API key in the named header", () => {
    expect(
      authHeaders(
        model({ api_key_auth: { key: "x-api-key", value: "{{secrets/s/k}}" } }),
        new Map([["api_key_auth.value", "k3y"]]),
      ),
    ).toEqual({ "x-api-key": "k3y" });
  });
});
