import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { customChatEndpoint, createReadyEndpoint, waitUntilSettled } from "../../test/endpoints";

describe("serving endpoints API", () => {
  it("creates an endpoint, deploys it through the queue, and shows it", async () => {
    const created = await call("POST", "/api/2.0/serving-endpoints", {
      body: customChatEndpoint("chat-a", { tags: [{ key: "team", value: "ml" }] }),
    });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({
      name: "chat-a",
      creator: "admin",
      state: { ready: "NOT_READY", config_update: "IN_PROGRESS" },
      pending_config: {
        config_version: 1,
        served_entities: [{ name: "primary", state: { deployment: "DEPLOYMENT_CREATING" } }],
      },
      task: "llm/v1/chat",
      endpoint_type: "EXTERNAL_MODEL",
      permission_level: "CAN_MANAGE",
      route_optimized: false,
    });
    expect(created.json.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.json.creation_timestamp).toBeGreaterThan(1_700_000_000_000);
    expect(created.json.config).toBeUndefined();

    const ready = await waitUntilSettled("chat-a");
    expect(ready.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    expect(ready.pending_config).toBeUndefined();
    expect(ready.config.config_version).toBe(1);
    expect(ready.config.traffic_config).toEqual({
      routes: [{ served_entity_name: "primary", traffic_percentage: 100 }],
    });
    expect(ready.config.served_entities[0].state.deployment).toBe("DEPLOYMENT_READY");
    expect(ready.tags).toEqual([{ key: "team", value: "ml" }]);

    const list = await call("GET", "/api/2.0/serving-endpoints");
    expect(list.json.endpoints.map((e: any) => e.name)).toContain("chat-a");
    const listed = await call("GET", "/api/2.0/serving-endpoints/");
    expect(listed.status).toBe(200);
    expect(listed.json.endpoints[0].config.served_entities[0]).toEqual({
      name: "primary",
      external_model: { name: "gpt-test", provider: "custom", task: "llm/v1/chat" },
    });
  });

  it("never stores or echoes *_plaintext credentials", async () => {
    const ready = await createReadyEndpoint(customChatEndpoint("chat-secret"));
    const auth = ready.config.served_entities[0].external_model.custom_provider_config.bearer_token_auth;
    expect(auth.token_plaintext).toBeUndefined();
    expect(auth.token).toMatch(/^\{\{secrets\/endpoint-[0-9a-f]{32}\/primary\.bearer_token_auth\.token\.v1\}\}$/);
    for (const path of ["/api/2.0/serving-endpoints/chat-secret", "/api/2.0/serving-endpoints"]) {
      expect((await call("GET", path)).text).not.toContain("sk-upstream-secret-123");
    }
    const stored = await env.DB.prepare("SELECT config, pending_config FROM endpoints WHERE name = ?")
      .bind("chat-secret")
      .first<Record<string, string>>();
    expect(JSON.stringify(stored)).not.toContain("sk-upstream-secret-123");
    const secretRows = await env.DB.prepare("SELECT ciphertext FROM secrets").all<{ ciphertext: string }>();
    expect(secretRows.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(secretRows.results)).not.toContain("sk-upstream-secret-123");
    const logs = await call("GET", "/api/2.0/serving-endpoints/chat-secret/served-models/primary/build-logs");
    expect(logs.json.logs).toContain("Served entity is ready.");
    expect(logs.json.logs).not.toContain("sk-upstream-secret-123");
  });

  it("rejects a duplicate name with 409 and leaves the first endpoint alone", async () => {
    await createReadyEndpoint(customChatEndpoint("dup"));
    const again = await call("POST", "/api/2.0/serving-endpoints", { body: customChatEndpoint("dup") });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "Serving endpoint with name dup already exists.",
    });
  });

  it("updates the config: pending_config while in flight, version increments, concurrent update refused", async () => {
    await createReadyEndpoint(customChatEndpoint("upd"));
    const next = customChatEndpoint("upd").config;
    next.served_entities.push({ ...next.served_entities[0]!, name: "secondary" });
    const update = await call("PUT", "/api/2.0/serving-endpoints/upd/config", {
      body: {
        ...next,
        traffic_config: {
          routes: [
            { served_entity_name: "primary", traffic_percentage: 70 },
            { served_entity_name: "secondary", traffic_percentage: 30 },
          ],
        },
      },
    });
    expect(update.status, update.text).toBe(200);
    expect(update.json.state.config_update).toBe("IN_PROGRESS");
    expect(update.json.config.config_version).toBe(1);
    expect(update.json.pending_config.config_version).toBe(2);
    expect(update.json.pending_config.start_time).toBeTypeOf("number");

    const concurrent = await call("PUT", "/api/2.0/serving-endpoints/upd/config", {
      body: customChatEndpoint("upd").config,
    });
    expect(concurrent.status).toBe(409);
    expect(concurrent.json.error_code).toBe("RESOURCE_CONFLICT");

    const done = await waitUntilSettled("upd");
    expect(done.config.config_version).toBe(2);
    expect(done.config.served_entities.map((e: any) => e.name)).toEqual(["primary", "secondary"]);
  });

  it("validates configs with a 400 naming the problem and changes nothing", async () => {
    const base = customChatEndpoint("bad").config.served_entities[0]!;
    const cases: [unknown, RegExp][] = [
      [{ name: "bad name!" }, /'name'/],
      [
        {
          name: "bad",
          config: { served_entities: [{ ...base, external_model: { ...base.external_model, provider: "nope" } }] },
        },
        /provider/,
      ],
      [{ name: "bad", config: { served_entities: [base, { ...base, name: "b2" }] } }, /traffic_config' is required/],
      [
        {
          name: "bad",
          config: {
            served_entities: [base, { ...base, name: "b2" }],
            traffic_config: {
              routes: [
                { served_entity_name: "primary", traffic_percentage: 60 },
                { served_entity_name: "b2", traffic_percentage: 30 },
              ],
            },
          },
        },
        /sum to 100; they sum to 90/,
      ],
      [
        {
          name: "bad",
          config: {
            served_entities: [base, { entity_name: "main.default.model", entity_version: "1" }],
            traffic_config: {
              routes: [
                { served_entity_name: "primary", traffic_percentage: 50 },
                { served_entity_name: "model-1", traffic_percentage: 50 },
              ],
            },
          },
        },
        /cannot be served together/,
      ],
      [
        {
          name: "bad",
          config: { served_entities: Array.from({ length: 11 }, (_, i) => ({ ...base, name: `e${i}` })) },
        },
        /at most 10/,
      ],
      [
        {
          name: "bad",
          config: {
            served_entities: [
              {
                ...base,
                external_model: {
                  ...base.external_model,
                  custom_provider_config: { custom_provider_url: "https://x" },
                },
              },
            ],
          },
        },
        /exactly one of 'api_key_auth' or 'bearer_token_auth'/,
      ],
      [
        {
          name: "bad",
          config: { served_entities: [{ ...base, external_model: { ...base.external_model, provider: "anthropic" } }] },
        },
        /anthropic_config/,
      ],
      [{ name: "bad", surprise: true }, /Unknown field 'surprise'/],
      [{ name: "bad", config: { served_entities: [{ ...base, workload_size: "Huge" }] } }, /workload_size/],
      [{ name: 42 }, /'name'/],
    ];
    for (const [body, message] of cases) {
      const res = await call("POST", "/api/2.0/serving-endpoints", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message).toMatch(message);
    }
    expect((await call("GET", "/api/2.0/serving-endpoints/bad")).status).toBe(404);
  });

  it("answers malformed JSON and oversized bodies with 4xx", async () => {
    const malformed = await call("POST", "/api/2.0/serving-endpoints", { body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error_code).toBe("MALFORMED_REQUEST");
    const huge = await call("POST", "/api/2.0/serving-endpoints", {
      body: JSON.stringify({ name: "x", description: "a".repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.json.message).toContain("1 MB");
  });

  it("fails a deployment whose secret reference does not exist, with a build log", async () => {
    const scope = await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope: "team" } });
    expect(scope.status).toBe(200);
    const body = customChatEndpoint("missing-secret");
    body.config.served_entities[0]!.external_model.custom_provider_config.bearer_token_auth = {
      token: "{{secrets/team/absent}}",
    } as never;
    const res = await call("POST", "/api/2.0/serving-endpoints", { body });
    expect(res.status, res.text).toBe(200);
    const settled = await waitUntilSettled("missing-secret");
    expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    const logs = await call("GET", "/api/2.0/serving-endpoints/missing-secret/served-models/primary/build-logs");
    expect(logs.json.logs).toMatch(/ERROR Secret 'absent' in scope 'team'/);
  });

  it("deletes an endpoint and returns {}", async () => {
    const { id } = await createReadyEndpoint(customChatEndpoint("gone"));
    const del = await call("DELETE", "/api/2.0/serving-endpoints/gone");
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    const get = await call("GET", "/api/2.0/serving-endpoints/gone");
    expect(get.status).toBe(404);
    expect(get.json).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Endpoint with name 'gone' not found.",
    });
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM secret_scopes WHERE owner_endpoint_id = ?")
        .bind(id)
        .first<{ n: number }>())!.n,
    ).toBe(0);
  });

  it("puts ai-gateway and rate limits, patches tags", async () => {
    await createReadyEndpoint(customChatEndpoint("gov"));
    const gateway = {
      usage_tracking_config: { enabled: true },
      rate_limits: [{ calls: 10, key: "user", renewal_period: "minute" }],
      guardrails: { input: { pii: { behavior: "BLOCK" } } },
    };
    const put = await call("PUT", "/api/2.0/serving-endpoints/gov/ai-gateway", { body: gateway });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual(gateway);
    expect((await call("GET", "/api/2.0/serving-endpoints/gov")).json.ai_gateway).toEqual(gateway);
    const badLimit = await call("PUT", "/api/2.0/serving-endpoints/gov/ai-gateway", {
      body: { rate_limits: [{ calls: 1, renewal_period: "hour" }] },
    });
    expect(badLimit.status).toBe(400);
    expect(badLimit.json.message).toContain("renewal_period");

    const rl = await call("PUT", "/api/2.0/serving-endpoints/gov/rate-limits", {
      body: { rate_limits: [{ calls: 5, key: "endpoint", renewal_period: "minute" }] },
    });
    expect(rl.json).toEqual({ rate_limits: [{ calls: 5, key: "endpoint", renewal_period: "minute" }] });

    const tags = await call("PATCH", "/api/2.0/serving-endpoints/gov/tags", {
      body: { add_tags: [{ key: "a", value: "1" }, { key: "b" }] },
    });
    expect(tags.json).toEqual({ tags: [{ key: "a", value: "1" }, { key: "b" }] });
    const removed = await call("PATCH", "/api/2.0/serving-endpoints/gov/tags", {
      body: { delete_tags: ["a"], add_tags: [{ key: "b", value: "2" }] },
    });
    expect(removed.json).toEqual({ tags: [{ key: "b", value: "2" }] });
  });

  it("serves real build logs and 404s unknown served models", async () => {
    await createReadyEndpoint(customChatEndpoint("logs"));
    const build = await call("GET", "/api/2.0/serving-endpoints/logs/served-models/primary/build-logs");
    expect(build.json.logs).toMatch(/INFO Config version 1: deployment started\.\n/);
    expect(build.json.logs).toContain("Queries go to https://upstream.test/v1.");
    const unknown = await call("GET", "/api/2.0/serving-endpoints/logs/served-models/nope/logs");
    expect(unknown.status).toBe(404);
  });
});

describe("GET …/openapi", () => {
  it("describes the endpoint's query schema for its task", async () => {
    await createReadyEndpoint(customChatEndpoint("doc"));
    const res = await call("GET", "/api/2.0/serving-endpoints/doc/openapi");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining([
        "/serving-endpoints/doc/invocations",
        "/serving-endpoints/doc/served-models/primary/invocations",
      ]),
    );
    expect(JSON.stringify(res.json)).toContain("messages");
  });
});
