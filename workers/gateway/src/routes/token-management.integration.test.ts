import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createServicePrincipal, createUser } from "../identity/scim/testing";

describe("token management (/api/2.0/token-management)", () => {
  it("issues a token on behalf of a service principal that authenticates as it", async () => {
    const sp = await call("POST", "/api/2.0/preview/scim/v2/ServicePrincipals", { body: { displayName: "robot" } });
    const applicationId = sp.json.applicationId;
    const res = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { application_id: applicationId, lifetime_seconds: 60, comment: "deploy bot" },
    });
    expect(res.status).toBe(200);
    expect(res.json.token_value).toMatch(/^dapi/);
    expect(res.json.token_info).toMatchObject({
      owner_id: sp.json.id,
      comment: "deploy bot",
      created_by_username: applicationId,
    });
    expect(res.json.token_info.expiry_time - res.json.token_info.creation_time).toBe(60_000);
    const me = await call("GET", "/api/2.0/preview/scim/v2/Me", { token: res.json.token_value });
    expect(me.json).toMatchObject({ id: sp.json.id, applicationId });
  });

  it("issues a token for a user (Edgeserve extension)", async () => {
    const user = await createUser();
    const me = await call("GET", "/api/2.0/preview/scim/v2/Me", { token: user.token });
    expect(me.json).toMatchObject({ id: user.id, userName: user.userName });
  });

  it("404s for an unknown service principal or user", async () => {
    const sp = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { application_id: "nope" },
    });
    expect(sp.status).toBe(404);
    expect(sp.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const user = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { user_name: "ghost@example.com" },
    });
    expect(user.status).toBe(404);
  });

  it("requires exactly one of application_id and user_name", async () => {
    const none = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", { body: { comment: "x" } });
    expect(none.status).toBe(400);
    expect(none.json.message).toContain("application_id");
    const both = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { application_id: "a", user_name: "b" },
    });
    expect(both.status).toBe(400);
  });

  it("lists, reads and deletes any principal's tokens", async () => {
    const sp = await createServicePrincipal();
    const list = await call("GET", "/api/2.0/token-management/tokens");
    expect(list.status).toBe(200);
    const mine = list.json.token_infos.filter((t: { owner_id: string }) => t.owner_id === sp.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ created_by_username: sp.applicationId, comment: "", expiry_time: -1 });
    expect(Object.keys(mine[0]).sort()).toEqual(
      [
        "comment",
        "created_by_id",
        "created_by_username",
        "creation_time",
        "expiry_time",
        "owner_id",
        "token_id",
      ].sort(),
    );
    const filtered = await call("GET", `/api/2.0/token-management/tokens?created_by_username=${sp.applicationId}`);
    expect(filtered.json.token_infos).toEqual(mine);

    const one = await call("GET", `/api/2.0/token-management/tokens/${mine[0].token_id}`);
    expect(one.json.token_info).toEqual(mine[0]);

    const deleted = await call("DELETE", `/api/2.0/token-management/tokens/${mine[0].token_id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect((await call("GET", "/api/2.0/token/list", { token: sp.token })).status).toBe(401);
    const again = await call("DELETE", `/api/2.0/token-management/tokens/${mine[0].token_id}`);
    expect(again.status).toBe(404);
    expect(again.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("is admin only", async () => {
    const user = await createUser();
    for (const [method, path, body] of [
      ["GET", "/api/2.0/token-management/tokens", undefined],
      ["DELETE", "/api/2.0/token-management/tokens/abc", undefined],
      ["POST", "/api/2.0/token-management/on-behalf-of/tokens", { user_name: user.userName }],
    ] as const) {
      const res = await call(method, path, { token: user.token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error_code).toBe("PERMISSION_DENIED");
    }
  });
});
