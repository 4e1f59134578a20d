import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint, waitUntilSettled } from "../../test/endpoints";
import { createUserWithToken } from "../../test/principals";

const versionsOf = (name: string, query = "", token?: string) =>
  call("GET", `/api/2.0/serving-endpoints/${name}/config-versions${query}`, token ? { token } : {});

/** A config as GET shows it, turned back into PUT …/config's input (what the console's Roll back sends). */
function asInput(config: any) {
  return {
    served_entities: structuredClone(config.served_entities).map(
      ({ state: _s, creator: _c, creation_timestamp: _t, ...entity }: any) => entity,
    ),
    traffic_config: config.traffic_config,
  };
}

async function updateConfig(name: string, config: unknown) {
  const res = await call("PUT", `/api/2.0/serving-endpoints/${name}/config`, { body: config });
  expect(res.status, res.text).toBe(200);
  return waitUntilSettled(name);
}

describe("GET /api/2.0/serving-endpoints/{name}/config-versions", () => {
  it("lists promoted configs newest first, pages, reads one; a rollback deploys as a new version", async () => {
    const name = "history-rollback";
    const v1 = await createReadyEndpoint(customChatEndpoint(name));
    const v2config = asInput(v1.config);
    v2config.served_entities[0].external_model.name = "gpt-second";
    const v2 = await updateConfig(name, v2config);
    expect(v2.config.config_version).toBe(2);

    const all = await versionsOf(name);
    expect(all.status, all.text).toBe(200);
    expect(all.json.config_versions.map((e: any) => e.config_version)).toEqual([2, 1]);
    expect(all.json.next_page_token).toBeUndefined();
    expect(all.json.config_versions[1].config).toEqual(v1.config);
    expect(all.json.config_versions[0].config.served_entities[0].external_model.name).toBe("gpt-second");
    expect(all.json.config_versions[0].promoted_at).toBeGreaterThanOrEqual(all.json.config_versions[1].promoted_at);

    const first = await versionsOf(name, "?page_size=1");
    expect(first.json.config_versions.map((e: any) => e.config_version)).toEqual([2]);
    const second = await versionsOf(name, `?page_size=1&page_token=${first.json.next_page_token}`);
    expect(second.json.config_versions.map((e: any) => e.config_version)).toEqual([1]);
    expect(second.json.next_page_token).toBeUndefined();

    const one = await versionsOf(name, "/1");
    expect(one.status, one.text).toBe(200);
    expect(one.json).toEqual(all.json.config_versions[1]);

    // Rolling back is PUT …/config with version 1's config: a new version 3 that serves version 1's model.
    const v3 = await updateConfig(name, asInput(one.json.config));
    expect(v3.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    expect(v3.config.config_version).toBe(3);
    expect(v3.config.served_entities[0].external_model.name).toBe("gpt-test");
    const after = await versionsOf(name);
    expect(after.json.config_versions.map((e: any) => e.config_version)).toEqual([3, 2, 1]);
  });

  it("shows credentials only as {{secrets/…}} references, as GET does", async () => {
    const name = "history-secrets";
    const created = await createReadyEndpoint(customChatEndpoint(name));
    const res = await versionsOf(name);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("sk-upstream-secret-123");
    expect(res.text).not.toContain("_plaintext");
    const token = res.json.config_versions[0].config.served_entities[0].external_model.custom_provider_config;
    expect(token.bearer_token_auth.token).toMatch(new RegExp(`^\\{\\{secrets/endpoint-${created.id}/[^}]+\\}\\}$`));
    expect(token).toEqual(created.config.served_entities[0].external_model.custom_provider_config);
  });

  it("is for managers: CAN_QUERY gets 403, no permission at all 403 too, an unknown endpoint 404", async () => {
    const name = "history-permission";
    const created = await createReadyEndpoint(customChatEndpoint(name));
    const querier = await createUserWithToken("querier@history.example");
    const stranger = await createUserWithToken("stranger@history.example");
    const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${created.id}`, {
      body: { access_control_list: [{ user_name: "querier@history.example", permission_level: "CAN_QUERY" }] },
    });
    expect(grant.status, grant.text).toBe(200);
    for (const token of [querier.token, stranger.token]) {
      for (const path of ["", "/1"]) {
        const res = await versionsOf(name, path, token);
        expect(res.status, res.text).toBe(403);
        expect(res.json.error_code).toBe("PERMISSION_DENIED");
        expect(res.text).not.toContain("secrets/");
      }
    }
    expect((await versionsOf("no-such-endpoint")).status).toBe(404);
  });

  it("answers 404 for a version never served and 400 for bad paging or versions", async () => {
    const name = "history-bad-input";
    await createReadyEndpoint(customChatEndpoint(name));
    const missing = await versionsOf(name, "/7");
    expect(missing.status).toBe(404);
    expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    for (const query of ["/abc", "?page_size=0", "?page_size=101", "?page_token=x", "?limit=3"]) {
      const res = await versionsOf(name, query);
      expect(res.status, query).toBe(400);
      expect(res.json.error_code, query).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("keeps a failed deployment out of the history", async () => {
    const name = "history-failed-update";
    const v1 = await createReadyEndpoint(customChatEndpoint(name));
    const broken = asInput(v1.config);
    // A key of the endpoint's own scope that does not exist (a rotated-away key): accepted, fails to deploy.
    const brokenAuth = broken.served_entities[0].external_model.custom_provider_config.bearer_token_auth;
    brokenAuth.token = `{{secrets/endpoint-${v1.id}/gone.v0}}`;
    const failed = await updateConfig(name, broken);
    expect(failed.state.config_update).toBe("UPDATE_FAILED");
    const res = await versionsOf(name);
    expect(res.json.config_versions.map((e: any) => e.config_version)).toEqual([1]);
  });

  it("starts empty for a new endpoint that reuses a deleted one's name", async () => {
    const name = "history-reused";
    const old = await createReadyEndpoint(customChatEndpoint(name));
    const oldV2 = asInput(old.config);
    oldV2.served_entities[0].external_model.name = "gpt-old-tenant";
    await updateConfig(name, oldV2);
    expect((await versionsOf(name)).json.config_versions).toHaveLength(2);
    expect((await call("DELETE", `/api/2.0/serving-endpoints/${name}`)).status).toBe(200);
    // Deleted with the endpoint, not merely hidden.
    const kept = await env.DB.prepare("SELECT count(*) AS n FROM endpoint_config_versions WHERE endpoint_id = ?")
      .bind(old.id)
      .first<{ n: number }>();
    expect(kept?.n).toBe(0);

    const owner = await createUserWithToken("new-owner@history.example");
    const body = customChatEndpoint(name);
    body.config.served_entities[0]!.external_model.name = "gpt-new-tenant";
    await createReadyEndpoint(body, owner.token);
    const res = await versionsOf(name, "", owner.token);
    expect(res.status, res.text).toBe(200);
    expect(res.json.config_versions.map((e: any) => e.config_version)).toEqual([1]);
    expect(res.text).not.toContain("gpt-old-tenant");
    expect(res.text).not.toContain(old.id);
    expect((await versionsOf(name, "/2", owner.token)).status).toBe(404);
  });
});
