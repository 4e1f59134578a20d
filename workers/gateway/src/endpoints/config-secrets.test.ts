import { describe, expect, it } from "vitest";
import { extractPlaintextSecrets, secretReferencesIn } from "./config-secrets";
import { normalizeConfig } from "./normalize-config";

const meta = { creator: "a", now: 1, configVersion: 2 };

describe("extractPlaintextSecrets", () => {
  it("moves *_plaintext into the endpoint scope and leaves a versioned reference", () => {
    const config = normalizeConfig(
      {
        served_entities: [
          {
            name: "e",
            external_model: {
              name: "m",
              provider: "custom",
              task: "llm/v1/chat",
              custom_provider_config: {
                custom_provider_url: "https://h",
                api_key_auth: { key: "x-key", value_plaintext: "s3cret" },
              },
            },
          },
        ],
      },
      meta,
    );
    const { config: out, secrets } = extractPlaintextSecrets(config, "abc");
    expect(secrets).toEqual([{ key: "e.api_key_auth.value.v2", value: "s3cret" }]);
    expect(out.served_entities[0]!.external_model!.custom_provider_config).toEqual({
      custom_provider_url: "https://h",
      api_key_auth: { key: "x-key", value: "{{secrets/endpoint-abc/e.api_key_auth.value.v2}}" },
    });
    expect(JSON.stringify(out)).not.toContain("s3cret");
    expect(JSON.stringify(config)).toContain("s3cret"); // the input is not mutated
  });
});

describe("secretReferencesIn", () => {
  it("finds provider credentials", () => {
    const config = normalizeConfig(
      {
        served_entities: [
          {
            name: "o",
            external_model: {
              name: "gpt",
              provider: "openai",
              task: "llm/v1/chat",
              openai_config: { openai_api_key: "{{secrets/team/openai}}" },
            },
          },
        ],
      },
      meta,
    );
    expect(secretReferencesIn(config).map((r) => `${r.scope}/${r.key}@${r.where}`)).toEqual([
      "team/openai@o.openai_config.openai_api_key",
    ]);
  });
});
