/**
 * Databricks' own JS SDK (`@databricks/sdk-experimental`) against the gateway, through the TLS front
 * (the SDK only speaks https). The front's self-signed certificate is trusted by giving the SDK an
 * https.Agent with it as `ca` (the SDK ignores https.globalAgent).
 */
import { WorkspaceClient } from "@databricks/sdk-experimental";
import { describe, expect, it } from "vitest";
import { databricksAgent, generateLocalhostCert } from "../tls-front";
import { createMockEndpoint, customModelConfig, e2e, mockAccepts, mockRequests, uniqueName } from "./helpers";

function workspace(token = e2e().adminToken) {
  const { tlsUrl, ca } = e2e();
  return new WorkspaceClient(
    // authType "pat" and an empty config file: nothing from the developer's ~/.databrickscfg or env leaks in.
    { host: tlsUrl, token, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 30 },
    { agent: databricksAgent(ca), product: "edgeserve-e2e", productVersion: "0.1.0" },
  );
}

describe("@databricks/sdk-experimental WorkspaceClient", () => {
  it("creates an endpoint and waits for it with the SDK's waiter", async () => {
    const w = workspace();
    const name = uniqueName("sdk-create");
    const model = uniqueName("sdk-model");
    const token = `sk-${uniqueName("sdk")}`;
    await mockAccepts("authorization", `Bearer ${token}`);
    const waiter = await w.servingEndpoints.create({
      name,
      config: customModelConfig(model, "llm/v1/chat", { bearer_token_auth: { token_plaintext: token } }) as never,
    });
    expect(waiter.name).toBe(name);
    const ready = await waiter.wait();
    expect(ready.state?.config_update).toBe("NOT_UPDATING");
    expect(ready.state?.ready).toBe("READY");
  });

  it(
    "round-trips the settings Edgeserve keeps with no " + "effect, and gets a 400 ApiError naming a refused one",
    async () => {
      const w = workspace();
      const name = uniqueName("sdk-settings");
      const token = `sk-${uniqueName("sdk")}`;
      await mockAccepts("authorization", `Bearer ${token}`);
      const config = customModelConfig(uniqueName("sdk-model"), "llm/v1/chat", {
        bearer_token_auth: { token_plaintext: token },
      }) as never;
      // Fields Terraform and the CLI send from a typical endpoint definition.
      const kept = {
        description: "kept",
        tags: [{ key: "team", value: "ml" }],
        budget_policy_id: "policy-1",
        email_notifications: { on_update_failure: ["ops@example.com"] },
        route_optimized: true,
        ai_gateway: { usage_tracking_config: { enabled: true }, fallback_config: { enabled: false } },
      };
      const ready = await (await w.servingEndpoints.create({ name, config, ...kept })).wait();
      expect(ready).toMatchObject(kept);
      expect(ready.endpoint_url).toMatch(new RegExp(`/serving-endpoints/${name}/invocations$`));

      // Fallbacks work (docs/fallbacks.md): the SDK's putAiGateway turns them on.
      const gateway = await w.servingEndpoints.putAiGateway({ name, fallback_config: { enabled: true } });
      expect(gateway.fallback_config).toEqual({ enabled: true });
      // A provisioned band off the model's chunk size is refused (docs/foundation-models.md).
      await expect(
        w.servingEndpoints.create({
          name: uniqueName("sdk-pt"),
          config: {
            served_entities: [
              {
                entity_name: "system.ai.meta_llama_v3_1_8b_instruct",
                entity_version: "1",
                min_provisioned_throughput: 0,
                max_provisioned_throughput: 970,
              },
            ],
          } as never,
        }),
      ).rejects.toMatchObject({
        statusCode: 400,
        errorCode: "INVALID_PARAMETER_VALUE",
        message: expect.stringMatching(/970 tokens\/s is not a multiple of the throughput_chunk_size/),
      });
      expect((await w.servingEndpoints.get({ name })).ai_gateway?.fallback_config).toEqual({ enabled: true });
      await w.servingEndpoints.delete({ name });
    },
  );

  it("lists, gets, queries and deletes endpoints", async () => {
    const w = workspace();
    const ep = await createMockEndpoint("llm/v1/chat", { prefix: "sdk" });

    const names: string[] = [];
    for await (const e of w.servingEndpoints.list()) names.push(e.name!);
    expect(names).toContain(ep.name);

    const got = await w.servingEndpoints.get({ name: ep.name });
    expect(got.name).toBe(ep.name);
    expect(got.id).toMatch(/^[0-9a-f]+$/);
    expect(got.state).toMatchObject({ ready: "READY", config_update: "NOT_UPDATING" });
    expect(got.config?.served_entities?.[0]?.external_model).toMatchObject({
      name: ep.model,
      provider: "custom",
      task: "llm/v1/chat",
    });

    const answer = await w.servingEndpoints.query({
      name: ep.name,
      messages: [{ role: "user" as never, content: "hello from the databricks sdk" }],
      max_tokens: 32,
    });
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices?.[0]?.message?.content).toBe("Echo: hello from the databricks sdk");
    expect(answer.usage?.total_tokens).toBeGreaterThan(0);
    const upstream = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(upstream.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);

    await w.servingEndpoints.delete({ name: ep.name });
    await expect(w.servingEndpoints.get({ name: ep.name })).rejects.toMatchObject({
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      statusCode: 404,
    });
  });

  it("also trusts the TLS front through NODE_EXTRA_CA_CERTS (set by global setup), with verification on", async () => {
    // Test workers are forked after global setup set NODE_EXTRA_CA_CERTS, so node's default CA store has
    // the cert. `skipVerify: false` matters: the SDK's own agent only verifies certificates when it is
    // explicitly false (rejectUnauthorized = skipVerify === false), and accepts any certificate otherwise.
    expect(process.env.NODE_EXTRA_CA_CERTS).toMatch(/extra-ca-certs\.pem$/);
    const w = new WorkspaceClient({
      host: e2e().tlsUrl,
      token: e2e().adminToken,
      authType: "pat",
      configFile: "/dev/null",
      skipVerify: false,
    });
    const names: string[] = [];
    for await (const e of w.servingEndpoints.list()) names.push(e.name!);
    expect(names).toContain("embeddings"); // the stack's built-in endpoint (infra/builtin-models.mjs)
  });

  it("rejects the TLS front when given an agent that trusts another certificate (verification is real)", async () => {
    const other = await generateLocalhostCert();
    const w = new WorkspaceClient(
      { host: e2e().tlsUrl, token: e2e().adminToken, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 5 },
      { agent: databricksAgent(other.cert) },
    );
    await expect(w.servingEndpoints.get({ name: "anything" })).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it("reports a wrong token as an UNAUTHENTICATED ApiError", async () => {
    await expect(workspace("dapi-wrong").servingEndpoints.get({ name: "anything" })).rejects.toMatchObject({
      statusCode: 401,
    });
  });
});
