import { describe, expect, it } from "vitest";
import { defaultEntityName, normalizeConfig } from "./normalize-config";

const meta = { creator: "alice@example.com", now: 1_700_000_000_000, configVersion: 3 };
const external = (name: string, task = "llm/v1/chat") => ({
  external_model: {
    name,
    provider: "custom" as const,
    task: task as "llm/v1/chat",
    custom_provider_config: { custom_provider_url: "https://h/v1", bearer_token_auth: { token: "{{secrets/s/k}}" } },
  },
});

describe("defaultEntityName", () => {
  it("follows Databricks: external model name with . and : replaced, else model-version", () => {
    expect(defaultEntityName({ external_model: { name: "claude-3.5:sonnet" } })).toBe("claude-3-5-sonnet");
    expect(defaultEntityName({ entity_name: "main.default.iris", entity_version: "2" })).toBe("iris-2");
    expect(defaultEntityName({ external_model: { name: "org/model" } })).toBe("org-model");
  });
});

describe("normalizeConfig", () => {
  it("names entities, adds the default 100% route and stamps creator, time and version", () => {
    const config = normalizeConfig({ served_entities: [external("gpt-4o")] }, meta);
    expect(config.served_entities[0]).toMatchObject({
      name: "gpt-4o",
      creator: meta.creator,
      creation_timestamp: meta.now,
      state: { deployment: "DEPLOYMENT_CREATING" },
    });
    expect(config.traffic_config).toEqual({ routes: [{ served_entity_name: "gpt-4o", traffic_percentage: 100 }] });
    expect(config.config_version).toBe(3);
  });
  it("keeps the legacy served_models form and routes by served_model_name", () => {
    const config = normalizeConfig(
      { served_models: [{ model_name: "iris", model_version: "1", scale_to_zero_enabled: true }] },
      meta,
    );
    expect(config.served_entities[0]).toMatchObject({ name: "iris-1", entity_name: "iris", entity_version: "1" });
    expect(config.served_models?.[0]?.name).toBe("iris-1");
    expect(config.traffic_config.routes).toEqual([{ served_model_name: "iris-1", traffic_percentage: 100 }]);
  });
  it.each([
    [{ served_entities: [] }, /at least one entity/],
    [
      {
        served_entities: [external("a"), external("a")],
        traffic_config: { routes: [{ served_entity_name: "a", traffic_percentage: 100 }] },
      },
      /more than once/,
    ],
    [{ served_entities: [external("a"), external("b")] }, /traffic_config' is required/],
    [
      {
        served_entities: [external("a"), external("b")],
        traffic_config: {
          routes: [
            { served_entity_name: "a", traffic_percentage: 50 },
            { served_entity_name: "c", traffic_percentage: 50 },
          ],
        },
      },
      /no served entity named 'c'/,
    ],
    [
      {
        served_entities: [external("a"), external("b")],
        traffic_config: {
          routes: [
            { served_entity_name: "a", traffic_percentage: 50 },
            { served_entity_name: "a", traffic_percentage: 50 },
          ],
        },
      },
      /more than one traffic route/,
    ],
    [
      {
        served_entities: [external("a"), external("b")],
        traffic_config: {
          routes: [
            { served_entity_name: "a", traffic_percentage: 50 },
            { served_entity_name: "b", traffic_percentage: 51 },
          ],
        },
      },
      /sum to 101/,
    ],
    [
      {
        served_entities: [external("a"), external("b", "llm/v1/embeddings")],
        traffic_config: {
          routes: [
            { served_entity_name: "a", traffic_percentage: 50 },
            { served_entity_name: "b", traffic_percentage: 50 },
          ],
        },
      },
      /same task/,
    ],
    [
      {
        served_entities: [external("a"), { entity_name: "m", entity_version: "1" }],
        traffic_config: {
          routes: [
            { served_entity_name: "a", traffic_percentage: 50 },
            { served_entity_name: "m-1", traffic_percentage: 50 },
          ],
        },
      },
      /cannot be served together/,
    ],
    [
      {
        served_entities: [external("a")],
        served_models: [{ model_name: "m", model_version: "1", scale_to_zero_enabled: false }],
      },
      /not both/,
    ],
    [{ served_entities: [{ ...external("a"), name: "a/b" }] }, /must be 1-63 characters/],
  ])("rejects %j", (input, message) => {
    expect(() => normalizeConfig(input as never, meta)).toThrow(message);
  });
});
