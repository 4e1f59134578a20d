import { describe, expect, it } from "vitest";
import { call } from "../../../test/client";
import { waitUntilSettled } from "../../../test/endpoints";

/** Deploys one external model and answers the settled endpoint and the entity's build log. */
async function deploy(
  name: string,
  external_model: Record<string, unknown>,
): Promise<{ settled: any; buildLog: string }> {
  const res = await call("POST", "/api/2.0/serving-endpoints", {
    body: { name, config: { served_entities: [{ name: "m", external_model }] } },
  });
  expect(res.status, res.text).toBe(200);
  const settled = await waitUntilSettled(name);
  const logs = await call("GET", `/api/2.0/serving-endpoints/${name}/served-models/m/build-logs`);
  return { settled, buildLog: logs.json.logs };
}

const bedrock = (task: string, config: Record<string, unknown>) => ({
  name: "model-id",
  provider: "amazon-bedrock",
  task,
  amazon_bedrock_config: { aws_region: "us-east-1", bedrock_provider: "anthropic", ...config },
});
const KEYS = { aws_access_key_id_plaintext: "AKIAEXAMPLE", aws_secret_access_key_plaintext: "secret-example" };

describe("deploying an external model its provider cannot serve fails, saying why", () => {
  it.each([
    [
      "Bedrock with instance_profile_arn",
      bedrock("llm/v1/chat", { instance_profile_arn: "arn:aws:iam::123456789012:instance-profile/bedrock" }),
      "amazon_bedrock_config.instance_profile_arn cannot be used here: an instance profile " +
        "is assumed through the role of the AWS compute a server runs on, and Cloudflare Workers " +
        "have none. Give aws_access_key_id and aws_secret_access_key (as secrets) instead.",
    ],
    [
      "Bedrock embeddings of a family without embedding models",
      bedrock("llm/v1/embeddings", { ...KEYS }),
      "Amazon Bedrock has no embedding models for bedrock_provider 'anthropic' (use 'amazon' or 'cohere').",
    ],
    [
      "anthropic embeddings",
      {
        name: "claude",
        provider: "anthropic",
        task: "llm/v1/embeddings",
        anthropic_config: { anthropic_api_key_plaintext: "sk-ant" },
      },
      "anthropic does not offer embeddings: serve llm/v1/embeddings with another provider.",
    ],
    [
      "ai21labs embeddings",
      {
        name: "jamba",
        provider: "ai21labs",
        task: "llm/v1/embeddings",
        ai21labs_config: { ai21labs_api_key_plaintext: "key" },
      },
      "ai21labs does not offer embeddings: serve llm/v1/embeddings with another provider.",
    ],
  ])("%s", async (label, model, problem) => {
    const { settled, buildLog } = await deploy(label.replace(/[^a-z0-9]+/gi, "-").toLowerCase(), model);
    expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    expect(settled.pending_config.served_entities[0].state).toEqual({
      deployment: "DEPLOYMENT_FAILED",
      deployment_state_message: problem,
    });
    expect(buildLog).toContain(`ERROR ${problem}`);
    expect(buildLog).not.toContain("Served entity is ready.");
  });

  it("while the same providers deploy what they serve", async () => {
    const { settled, buildLog } = await deploy("bedrock-chat", bedrock("llm/v1/chat", KEYS));
    expect(settled.state, buildLog).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    const titan = await deploy("bedrock-titan", bedrock("llm/v1/embeddings", { ...KEYS, bedrock_provider: "amazon" }));
    expect(titan.settled.state, titan.buildLog).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
  });
});
