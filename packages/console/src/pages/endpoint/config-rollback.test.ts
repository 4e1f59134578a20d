import { endpointCoreConfigInput } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { configInputOf } from "./config-rollback";

describe("configInputOf", () => {
  const served = {
    served_entities: [
      {
        name: "primary",
        external_model: {
          name: "gpt-test",
          provider: "custom",
          task: "llm/v1/chat",
          custom_provider_config: {
            custom_provider_url: "https://upstream.test/v1",
            bearer_token_auth: { token: "{{secrets/endpoint-0123/primary.bearer_token_auth.token.v1}}" },
          },
        },
        creator: "admin",
        creation_timestamp: 1,
        state: { deployment: "DEPLOYMENT_READY", deployment_state_message: "" },
      },
    ],
    traffic_config: { routes: [{ served_entity_name: "primary", traffic_percentage: 100 }] },
    auto_capture_config: {
      enabled: true,
      state: { payload_table: { name: "x", status: "ACTIVE", status_message: "" } },
    },
    config_version: 4,
  };

  it("keeps what was configured (references included) and drops what only the API sets", () => {
    const input = configInputOf(served);
    expect(input).toEqual({
      served_entities: [{ name: "primary", external_model: served.served_entities[0]!.external_model }],
      traffic_config: served.traffic_config,
      auto_capture_config: { enabled: true },
    });
  });

  it("is a body the API's own schema for PUT …/config accepts", () => {
    const parsed = endpointCoreConfigInput.safeParse(configInputOf(served));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });
});
