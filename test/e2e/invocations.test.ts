/**
 * The query path as curl uses it: POST /serving-endpoints/{name}/invocations on an endpoint whose
 * external model (provider custom) is the mock upstream.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type MockEndpoint,
  api,
  createMockEndpoint,
  mockRequests,
  ok,
  sseData,
  uniqueName,
  waitUntilReady,
  customModelConfig,
  mockAccepts,
} from "./helpers";

describe("POST /serving-endpoints/{name}/invocations", () => {
  let ep: MockEndpoint;
  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/chat", { prefix: "curl-chat" });
  });

  it("deploys asynchronously: READY and NOT_UPDATING with the external model in config", async () => {
    const got = await ok(api("GET", `/api/2.0/serving-endpoints/${ep.name}`));
    expect(got).toMatchObject({
      name: ep.name,
      state: { ready: "READY", config_update: "NOT_UPDATING" },
      config: {
        served_entities: [
          { name: "mock", external_model: { name: ep.model, provider: "custom", task: "llm/v1/chat" } },
        ],
      },
    });
  });

  it("answers a chat request in OpenAI's format and sends the upstream token as a bearer", async () => {
    const r = await api("POST", `/serving-endpoints/${ep.name}/invocations`, {
      body: {
        messages: [{ role: "user", content: "hello gateway" }],
        max_tokens: 20,
        client_request_id: "req-1",
        usage_context: { team: "e2e" },
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Echo: hello gateway" }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
    });
    expect(r.headers.get("served-model-name")).toBe("mock");

    const seen = await mockRequests({ model: ep.model });
    const last = seen.at(-1)!;
    expect(last.url).toBe("/v1/chat/completions");
    expect(last.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);
    // The Databricks-only fields stay at the gateway (the mock would have answered 400 otherwise).
    expect(last.body).not.toHaveProperty("client_request_id");
    expect(last.body).not.toHaveProperty("usage_context");
    expect(last.body).toMatchObject({
      model: ep.model,
      messages: [{ role: "user", content: "hello gateway" }],
      max_tokens: 20,
    });
    expect(last.status).toBe(200);
  });

  it("streams server-sent events ending with [DONE]", async () => {
    const r = await api("POST", `/serving-endpoints/${ep.name}/invocations`, {
      body: { messages: [{ role: "user", content: "stream me" }], stream: true },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = sseData(r.text);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as { object: string; choices: { delta: { content?: string } }[] }[];
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: stream me");
  });

  it("answers 404 RESOURCE_DOES_NOT_EXIST for an unknown endpoint", async () => {
    const r = await api("POST", `/serving-endpoints/${uniqueName("missing")}/invocations`, {
      body: { messages: [{ role: "user", content: "x" }] },
    });
    expect(r.status, r.text).toBe(404);
    expect(r.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("answers 400 naming the field for a malformed body, without calling the upstream", async () => {
    const before = (await mockRequests({ model: ep.model })).length;
    const r = await api("POST", `/serving-endpoints/${ep.name}/invocations`, { body: { messages: "not a list" } });
    expect(r.status, r.text).toBe(400);
    expect(r.body.error_code).toMatch(/INVALID_PARAMETER_VALUE|BAD_REQUEST/);
    expect(r.body.message).toMatch(/messages/);
    expect((await mockRequests({ model: ep.model })).length).toBe(before);
  });
});

describe("custom provider with api_key_auth", () => {
  it("sends the key in the configured header, not as a bearer", async () => {
    const name = uniqueName("curl-apikey");
    const model = uniqueName("apikey-model");
    const value = `key-${uniqueName("v")}`;
    await mockAccepts("x-api-key", value);
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name,
          config: customModelConfig(model, "llm/v1/chat", {
            api_key_auth: { key: "X-Api-Key", value_plaintext: value },
          }),
        },
      }),
    );
    await waitUntilReady(name);
    const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
      body: { messages: [{ role: "user", content: "keyed" }] },
    });
    expect(r.status, r.text).toBe(200);
    const last = (await mockRequests({ model })).at(-1)!;
    expect(last.headers["x-api-key"]).toBe(value);
    expect(last.headers.authorization).toBeUndefined();
  });
});

describe("upstream errors are mapped to Databricks errors", () => {
  async function endpointOn(model: string) {
    const token = `sk-${uniqueName("err")}`;
    await mockAccepts("authorization", `Bearer ${token}`);
    const name = uniqueName("curl-err");
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name,
          config: customModelConfig(model, "llm/v1/chat", { bearer_token_auth: { token_plaintext: token } }),
        },
      }),
    );
    await waitUntilReady(name);
    return name;
  }
  const query = (name: string) =>
    api("POST", `/serving-endpoints/${name}/invocations`, { body: { messages: [{ role: "user", content: "x" }] } });

  it("429 from the provider → 429 REQUEST_LIMIT_EXCEEDED with Retry-After", async () => {
    const r = await query(await endpointOn("fail-429"));
    expect(r.status, r.text).toBe(429);
    expect(r.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("500 from the provider → a 5xx with an error_code, not the provider's body", async () => {
    const r = await query(await endpointOn("fail-500"));
    expect(r.status, r.text).toBeGreaterThanOrEqual(500);
    expect(r.body).toMatchObject({ error_code: expect.any(String), message: expect.any(String) });
    expect(r.body).not.toHaveProperty("error.type");
  });

  it("a provider that rejects the endpoint's credentials never echoes them", async () => {
    const name = uniqueName("curl-badkey");
    const token = `sk-never-accepted-${uniqueName("k")}`;
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name,
          config: customModelConfig("any-model", "llm/v1/chat", { bearer_token_auth: { token_plaintext: token } }),
        },
      }),
    );
    await waitUntilReady(name);
    const r = await query(name);
    expect(r.status, r.text).toBeGreaterThanOrEqual(500);
    expect(r.text).not.toContain(token);
  });
});
