/**
 * Endpoint permissions seen by a real caller: a service principal (SCIM) with an on-behalf-of token
 * cannot query an endpoint until it is granted CAN_QUERY.
 */
import crypto from "node:crypto";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createMockEndpoint, e2e, ok, type MockEndpoint } from "./helpers";

async function servicePrincipalWithToken() {
  const sp = await ok(
    api("POST", "/api/2.0/preview/scim/v2/ServicePrincipals", {
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
        displayName: `e2e-sp-${crypto.randomBytes(4).toString("hex")}`,
        active: true,
      },
    }),
  );
  expect(sp.applicationId).toEqual(expect.any(String));
  const issued = await ok(
    api("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { application_id: sp.applicationId, comment: "e2e", lifetime_seconds: 3600 },
    }),
  );
  expect(issued.token_value).toEqual(expect.any(String));
  return { applicationId: sp.applicationId as string, token: issued.token_value as string };
}

describe("a caller without CAN_QUERY", () => {
  let ep: MockEndpoint;
  let sp: { applicationId: string; token: string };
  const query = (token: string) =>
    api("POST", `/serving-endpoints/${ep.name}/invocations`, {
      token,
      body: { messages: [{ role: "user", content: "may I?" }] },
    });

  beforeAll(async () => {
    [ep, sp] = await Promise.all([createMockEndpoint("llm/v1/chat", { prefix: "perm" }), servicePrincipalWithToken()]);
  });

  it("is authenticated (the token works) but gets 403 PERMISSION_DENIED on invocations", async () => {
    const me = await api("GET", "/api/2.0/preview/scim/v2/Me", { token: sp.token });
    expect(me.status, me.text).toBe(200);
    const r = await query(sp.token);
    expect(r.status, r.text).toBe(403);
    expect(r.body.error_code).toBe("PERMISSION_DENIED");
  });

  it("gets 403 through the OpenAI-compatible route too", async () => {
    const client = new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: sp.token, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: ep.name, messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("can query once granted CAN_QUERY on the endpoint", async () => {
    const { id } = await ok(api("GET", `/api/2.0/serving-endpoints/${ep.name}`));
    await ok(
      api("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, {
        body: { access_control_list: [{ service_principal_name: sp.applicationId, permission_level: "CAN_QUERY" }] },
      }),
    );
    const r = await query(sp.token);
    expect(r.status, r.text).toBe(200);
    expect(r.body.choices[0].message.content).toBe("Echo: may I?");
    // CAN_QUERY does not allow managing the endpoint.
    const del = await api("DELETE", `/api/2.0/serving-endpoints/${ep.name}`, { token: sp.token });
    expect(del.status, del.text).toBe(403);
  });
});
