/**
 * Secrets never come back: neither an endpoint's `token_plaintext` nor a value put with the Secrets
 * API appears in any response of the GET/list routes — yet the upstream receives it as a bearer token.
 */
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createMockEndpoint,
  customModelConfig,
  mockAccepts,
  mockRequests,
  ok,
  uniqueName,
  waitUntilReady,
  type MockEndpoint,
} from "./helpers";

/** Every read route a client could use to look at endpoints, secrets, permissions and tokens. */
async function readEverything(endpointNames: string[], scope?: string): Promise<{ route: string; text: string }[]> {
  const routes = [
    "/api/2.0/serving-endpoints",
    "/api/2.0/serving-endpoints/",
    "/api/2.0/secrets/scopes/list",
    "/api/2.0/token-management/tokens",
  ];
  if (scope) routes.push(`/api/2.0/secrets/list?scope=${scope}`, `/api/2.0/secrets/acls/list?scope=${scope}`);
  for (const name of endpointNames) {
    routes.push(`/api/2.0/serving-endpoints/${name}`, `/api/2.0/serving-endpoints/${name}/openapi`);
    const got = await api("GET", `/api/2.0/serving-endpoints/${name}`);
    if (got.body?.id) routes.push(`/api/2.0/permissions/serving-endpoints/${got.body.id}`);
  }
  return Promise.all(routes.map(async (route) => ({ route, text: (await api("GET", route)).text })));
}

describe("secrets stay secret", () => {
  let ep: MockEndpoint;
  beforeAll(async () => {
    ep = await createMockEndpoint("llm/v1/chat", { prefix: "secret-plain" });
  });

  it("an endpoint's token_plaintext is used upstream but never returned by GET or list", async () => {
    const created = await api("GET", `/api/2.0/serving-endpoints/${ep.name}`);
    const entity = created.body.config.served_entities[0];
    // Databricks returns the secret as a reference in place of the plaintext.
    expect(entity.external_model.custom_provider_config.bearer_token_auth).not.toHaveProperty("token_plaintext");

    const r = await api("POST", `/serving-endpoints/${ep.name}/invocations`, {
      body: { messages: [{ role: "user", content: "who am I" }] },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.text).not.toContain(ep.upstreamToken);
    const upstream = (await mockRequests({ model: ep.model })).at(-1)!;
    expect(upstream.headers.authorization).toBe(`Bearer ${ep.upstreamToken}`);

    for (const { route, text } of await readEverything([ep.name])) expect(text, route).not.toContain(ep.upstreamToken);
  });

  it("a value put with /api/2.0/secrets/put is never returned, and an endpoint can use it by reference", async () => {
    const scope = uniqueName("e2e-scope");
    const key = "upstream-token";
    const value = `sk-secret-${crypto.randomBytes(12).toString("hex")}`;
    await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
    await ok(api("POST", "/api/2.0/secrets/put", { body: { scope, key, string_value: value } }));

    const listed = await ok(api("GET", `/api/2.0/secrets/list?scope=${scope}`));
    expect(listed.secrets).toEqual([expect.objectContaining({ key, last_updated_timestamp: expect.any(Number) })]);

    await mockAccepts("authorization", `Bearer ${value}`);
    const name = uniqueName("secret-ref");
    const model = uniqueName("secret-model");
    await ok(
      api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name,
          config: customModelConfig(model, "llm/v1/chat", {
            bearer_token_auth: { token: `{{secrets/${scope}/${key}}}` },
          }),
        },
      }),
    );
    await waitUntilReady(name);
    const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
      body: { messages: [{ role: "user", content: "by reference" }] },
    });
    expect(r.status, r.text).toBe(200);
    expect((await mockRequests({ model })).at(-1)!.headers.authorization).toBe(`Bearer ${value}`);

    for (const { route, text } of await readEverything([name], scope)) {
      expect(text, route).not.toContain(value);
      expect(text, route).not.toContain(Buffer.from(value).toString("base64"));
    }
  });

  it("a create that fails validation does not echo the plaintext in its error", async () => {
    const token = `sk-echo-${crypto.randomBytes(8).toString("hex")}`;
    const r = await api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name: uniqueName("secret-bad"),
        config: customModelConfig("m", "llm/v1/chat", {
          bearer_token_auth: { token_plaintext: token, token: "not-a-reference" },
        }),
      },
    });
    expect(r.status, r.text).toBe(400);
    expect(r.text).not.toContain(token);
  });
});
