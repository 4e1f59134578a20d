import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint, waitUntilSettled } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";

/**
 * Every endpoint setting either works, or is refused with a 400 naming it, or (sent by Databricks'
 * clients) is kept and documented as having no effect: docs/api-settings.md lists them all.
 */

const BASE = "/api/2.0/serving-endpoints";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

/** A config whose one external model carries `extra` on its served entity. */
function configWith(extra: Record<string, unknown>) {
  const config = customChatEndpoint("x").config;
  Object.assign(config.served_entities[0]!, extra);
  return config;
}

async function expectRefused(res: Awaited<ReturnType<typeof call>>, field: string, reason: RegExp) {
  expect(res.status, res.text).toBe(400);
  expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
  expect(res.json.message).toContain(field);
  expect(res.json.message).toMatch(reason);
}

describe("endpoint settings with no effect on Edgeserve", () => {
  it("keeps and shows them; route_optimized's endpoint_url takes a personal access token", async () => {
    const kept = {
      description: "support bot",
      tags: [{ key: "team", value: "ml" }],
      budget_policy_id: "policy-7",
      email_notifications: { on_update_failure: ["ops@example.com"] },
      route_optimized: true,
      telemetry_config: {},
    };
    const ready = await createReadyEndpoint(customChatEndpoint("kept", kept));
    const url = "https://edgeserve.test/serving-endpoints/kept/invocations";
    expect(ready).toMatchObject({ ...kept, endpoint_url: url, data_plane_info: { query_info: { endpoint_url: url } } });

    upstream = fakeOpenAiUpstream();
    const answer = await call("POST", new URL(ready.endpoint_url).pathname, {
      token: ADMIN_TOKEN,
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.choices[0].message.content).toBe("Hello");

    const notifications = await call("PATCH", `${BASE}/kept/notifications`, {
      body: { name: "kept", email_notifications: { on_update_success: ["dev@example.com"] } },
    });
    expect(notifications.json).toEqual({
      name: "kept",
      email_notifications: { on_update_success: ["dev@example.com"] },
    });
    expect((await call("GET", `${BASE}/kept`)).json.email_notifications).toEqual({
      on_update_success: ["dev@example.com"],
    });
  });

  it(
    "accepts the MLflow deployments client's create_endpoint body " +
      "(route_optimized false) and a custom model's workload fields",
    async () => {
      // mlflow.deployments.get_deploy_client("databricks").create_endpoint(name, config) sends {name, config,
      // route_optimized: false}.
      const created = await call("POST", `${BASE}/`, {
        body: { name: "mlflow-made", config: customChatEndpoint("mlflow-made").config, route_optimized: false },
      });
      expect(created.status, created.text).toBe(200);
      expect(created.json.route_optimized).toBe(false);
      expect(created.json.endpoint_url).toBeUndefined();

      const legacy = await call("POST", BASE, {
        body: {
          name: "legacy-sized",
          config: {
            served_models: [
              {
                model_name: "main.default.absent",
                model_version: "1",
                workload_size: "Small",
                workload_type: "CPU",
                scale_to_zero_enabled: true,
              },
            ],
          },
        },
      });
      expect(legacy.status, legacy.text).toBe(200);
      expect(legacy.json.pending_config.served_models[0]).toMatchObject({
        workload_size: "Small",
        workload_type: "CPU",
        scale_to_zero_enabled: true,
      });
      await waitUntilSettled("legacy-sized");
    },
  );
});

describe("endpoint settings Edgeserve refuses", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "provisioned throughput on a registry model",
      {
        config: configWith({
          entity_name: "main.default.llm",
          entity_version: "1",
          external_model: undefined,
          min_provisioned_throughput: 0,
          max_provisioned_throughput: 970,
        }),
      },
      "min_provisioned_throughput",
      /applies only to Foundation Model API models/,
    ],
    [
      "provisioned model units on a registry model",
      {
        config: configWith({
          entity_name: "main.default.llm",
          entity_version: "1",
          external_model: undefined,
          provisioned_model_units: 50,
        }),
      },
      "provisioned_model_units",
      /applies only to Foundation Model API models/,
    ],
    [
      "burst scaling",
      {
        config: configWith({
          entity_name: "main.default.llm",
          entity_version: "1",
          external_model: undefined,
          burst_scaling_enabled: true,
        }),
      },
      "burst_scaling_enabled",
      /burst scaling is not supported on Edgeserve/,
    ],
    [
      "environment variables",
      { config: configWith({ environment_vars: { OPENAI_API_KEY: "{{secrets/s/k}}" } }) },
      "environment_vars",
      /environment variables are not supported on Edgeserve/,
    ],
    [
      "an instance profile",
      { config: configWith({ instance_profile_arn: "arn:aws:iam::123456789012:instance-profile/x" }) },
      "instance_profile_arn",
      /instance profiles are not supported on Edgeserve/,
    ],
    [
      "telemetry export",
      { telemetry_config: { table_names: { logs_table: "main.obs.logs" } } },
      "telemetry_config.table_names",
      /telemetry export to Unity Catalog is not supported on Edgeserve/,
    ],
  ];

  it.each(cases)(
    "refuses %s on create with a 400 naming the field, creating nothing",
    async (_what, extra, field, reason) => {
      const res = await call("POST", BASE, { body: { ...customChatEndpoint("refused"), ...extra } });
      await expectRefused(res, field, reason);
      expect((await call("GET", `${BASE}/refused`)).status).toBe(404);
    },
  );

  it("refuses them on an existing endpoint's calls, changing nothing", async () => {
    const before = await createReadyEndpoint(
      customChatEndpoint("kept-as-is", { ai_gateway: { fallback_config: { enabled: false } } }),
    );
    await expectRefused(
      await call("PUT", `${BASE}/kept-as-is/config`, {
        body: configWith({ instance_profile_arn: "arn:aws:iam::123456789012:instance-profile/x" }),
      }),
      "served_entities[0].instance_profile_arn",
      /not supported on Edgeserve/,
    );
    await expectRefused(
      await call("PATCH", `${BASE}/kept-as-is/telemetry-config`, {
        body: { telemetry_config: { enabled_telemetry_features: ["TELEMETRY_FEATURE_METRICS"] } },
      }),
      "telemetry_config.enabled_telemetry_features",
      /not supported on Edgeserve/,
    );
    expect((await call("GET", `${BASE}/kept-as-is`)).json).toEqual(before);
  });

  it("refuses a body name other than the endpoint's on every call that takes one, changing nothing", async () => {
    const before = await createReadyEndpoint(customChatEndpoint("named"));
    const calls: [string, string, Record<string, unknown>][] = [
      ["PUT", "config", { ...customChatEndpoint("other").config, name: "other" }],
      ["PUT", "ai-gateway", { name: "other", usage_tracking_config: { enabled: true } }],
      ["PUT", "rate-limits", { name: "other", rate_limits: [{ calls: 1, renewal_period: "minute" }] }],
      ["PATCH", "tags", { name: "other", add_tags: [{ key: "k" }] }],
      ["PATCH", "notifications", { name: "other", email_notifications: { on_update_success: ["a@example.com"] } }],
      ["PATCH", "telemetry-config", { name: "other", telemetry_config: {} }],
    ];
    for (const [method, suffix, body] of calls) {
      const res = await call(method, `${BASE}/named/${suffix}`, { body });
      expect(res.status, `${method} ${suffix}: ${res.text}`).toBe(400);
      expect(res.json).toMatchObject({
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Body name 'other' does not match endpoint 'named'.",
      });
    }
    expect((await call("GET", `${BASE}/named`)).json).toEqual(before);
    const create = await call("POST", BASE, {
      body: { ...customChatEndpoint("other"), config: { ...customChatEndpoint("other").config, name: "named" } },
    });
    expect(create.json).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Body name 'named' does not match endpoint 'other'.",
    });
    expect((await call("GET", `${BASE}/other`)).status).toBe(404);
    // The endpoint's own name is accepted.
    const own = await call("PUT", `${BASE}/named/ai-gateway`, {
      body: { name: "named", usage_tracking_config: { enabled: true } },
    });
    expect(own.status, own.text).toBe(200);
    expect(own.json).toEqual({ usage_tracking_config: { enabled: true } });
  });

  it("refuses a name inside create's ai_gateway (it is the PUT body's path echo, not part of the config)", async () => {
    const res = await call("POST", BASE, {
      body: customChatEndpoint("gw-named", {
        ai_gateway: { name: "gw-named", usage_tracking_config: { enabled: true } },
      }),
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.message).toBe("Unknown field 'ai_gateway.name': not supported on Edgeserve; leave it out.");
    expect((await call("GET", `${BASE}/gw-named`)).status).toBe(404);
  });
});
