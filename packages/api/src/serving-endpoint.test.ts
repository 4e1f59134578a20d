import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import {
  createServingEndpointRequest,
  endpointCoreConfigInput,
  patchTelemetryConfigRequest,
  servedEntityInput,
} from "./serving-endpoint";
import { parseOrThrow } from "./validation";

/** A custom model entity, as MLflow's and Databricks' examples write it. */
const customEntity = {
  entity_name: "main.default.iris",
  entity_version: "1",
  workload_size: "Small",
  scale_to_zero_enabled: true,
};

function refusal(schema: Parameters<typeof parseOrThrow>[0], body: unknown): string {
  try {
    parseOrThrow(schema, body);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe("INVALID_PARAMETER_VALUE");
    return (e as ApiError).message;
  }
  throw new Error(`accepted: ${JSON.stringify(body)}`);
}

describe("served entity settings", () => {
  it.each(["CPU", "CPU_LARGE", "GPU_SMALL", "GPU_XLARGE_8", "MULTIGPU_MEDIUM"])(
    "accepts workload_type %s: the deployment decides where it runs (in-worker or a model server) or fails saying why",
    (workload_type) => {
      const config = { served_entities: [{ ...customEntity, workload_type }] };
      expect(parseOrThrow(endpointCoreConfigInput, config)).toEqual(config);
    },
  );

  it("accepts the sizing fields Databricks' clients send, which have no effect here", () => {
    const config = { served_entities: [{ ...customEntity, workload_type: "CPU" }] };
    expect(parseOrThrow(endpointCoreConfigInput, config)).toEqual(config);
    const concurrency = {
      served_entities: [
        {
          entity_name: "m",
          entity_version: "1",
          min_provisioned_concurrency: 0,
          max_provisioned_concurrency: 4,
          scale_to_zero_enabled: false,
        },
      ],
    };
    expect(parseOrThrow(endpointCoreConfigInput, concurrency)).toEqual(concurrency);
    const legacy = {
      served_models: [
        {
          model_name: "iris",
          model_version: "1",
          workload_size: "Small",
          workload_type: "CPU",
          scale_to_zero_enabled: true,
        },
      ],
    };
    expect(parseOrThrow(endpointCoreConfigInput, legacy)).toEqual(legacy);
    // An empty map asks for nothing.
    expect(
      parseOrThrow(endpointCoreConfigInput, { served_entities: [{ ...customEntity, environment_vars: {} }] })
        .served_entities?.[0]?.environment_vars,
    ).toEqual({});
  });

  it.each([
    ["min_provisioned_throughput", 0, /applies only to Foundation Model API models .*no tokens\/s capacity/],
    ["max_provisioned_throughput", 970, /applies only to Foundation Model API models/],
    ["provisioned_model_units", 50, /applies only to Foundation Model API models/],
    ["burst_scaling_enabled", true, /burst scaling is not supported on Edgeserve/],
    [
      "environment_vars",
      { OPENAI_API_KEY: "{{secrets/s/k}}" },
      /environment variables are not supported on Edgeserve: .*leave environment_vars out/,
    ],
    [
      "instance_profile_arn",
      "arn:aws:iam::123456789012:instance-profile/serving",
      /instance profiles are not supported on Edgeserve: .*aws_access_key_id/,
    ],
  ])("refuses %s = %j with a 400 naming it and saying what to do", (field, value, message) => {
    const text = refusal(endpointCoreConfigInput, { served_entities: [{ ...customEntity, [field]: value }] });
    expect(text).toContain(`'served_entities[0].${field}'`);
    expect(text).toMatch(message);
    // The legacy served_models form refuses them the same way.
    const legacy = refusal(endpointCoreConfigInput, {
      served_models: [{ model_name: "iris", model_version: "1", scale_to_zero_enabled: true, [field]: value }],
    });
    expect(legacy).toContain(`'served_models[0].${field}'`);
    expect(legacy).toMatch(message);
  });
});

describe("provisioned throughput fields", () => {
  const system = { entity_name: "system.ai.meta_llama_v3_1_8b_instruct", entity_version: "1" };

  it("are accepted on a Foundation Model API model (system.ai.<model>), burst_scaling_enabled false only", () => {
    const band = { ...system, min_provisioned_throughput: 0, max_provisioned_throughput: 200 };
    expect(parseOrThrow(servedEntityInput, { ...band, burst_scaling_enabled: false })).toMatchObject(band);
    expect(parseOrThrow(servedEntityInput, { ...system, provisioned_model_units: 2 })).toMatchObject({
      provisioned_model_units: 2,
    });
  });

  it("refuse an external model's band, saying its capacity is its provider's", () => {
    const external = {
      name: "gpt",
      provider: "openai",
      task: "llm/v1/chat",
      openai_config: { openai_api_key: "{{secrets/s/k}}" },
    };
    const text = refusal(servedEntityInput, { external_model: external, max_provisioned_throughput: 100 });
    expect(text).toMatch(/'max_provisioned_throughput'.*not allowed for an external model.*provider's/);
  });

  it("take either a band or model units, not both", () => {
    expect(
      refusal(servedEntityInput, { ...system, provisioned_model_units: 1, max_provisioned_throughput: 100 }),
    ).toMatch(/cannot be combined with provisioned_model_units/);
  });
});

describe("endpoint settings", () => {
  const create = { name: "ep", config: { served_entities: [customEntity] } };

  it("accepts and keeps the fields it documents as having no effect", () => {
    const body = {
      ...create,
      route_optimized: true,
      budget_policy_id: "policy-1",
      email_notifications: { on_update_success: ["ops@example.com"], on_update_failure: ["ops@example.com"] },
      telemetry_config: {},
      tags: [{ key: "team", value: "ml" }],
      description: "iris",
    };
    expect(parseOrThrow(createServingEndpointRequest, body)).toEqual(body);
  });

  it.each([
    [{ enabled_telemetry_features: ["TELEMETRY_FEATURE_LOGS"] }, "enabled_telemetry_features"],
    [{ inference_table_config: { sampling_fraction: 0.5 } }, "inference_table_config"],
    [{ table_names: { logs_table: "main.obs.logs" } }, "table_names"],
    [{ telemetry_profile_id: "p-1" }, "telemetry_profile_id"],
  ])("refuses telemetry export %j, on create and on PATCH …/telemetry-config", (telemetry, field) => {
    for (const [schema, body] of [
      [createServingEndpointRequest, { ...create, telemetry_config: telemetry }],
      [patchTelemetryConfigRequest, { telemetry_config: telemetry }],
    ] as const) {
      const text = refusal(schema, body);
      expect(text).toContain(`'telemetry_config.${field}'`);
      expect(text).toMatch(/telemetry export to Unity Catalog is not supported on Edgeserve: .*GET …\/metrics/);
    }
  });

  it("names an unknown field and says to leave it out", () => {
    expect(
      refusal(createServingEndpointRequest, {
        ...create,
        uc_system_metrics_export_state: "FIRST_PARTY_EXPORT_ENABLED",
      }),
    ).toBe("Unknown field 'uc_system_metrics_export_state': not supported on Edgeserve; leave it out.");
  });
});
