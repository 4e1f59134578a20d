import { env } from "cloudflare:workers";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { call } from "../../test/client";
import { createUser } from "../identity/scim/testing";

describe("personal access tokens (/api/2.0/token)", () => {
  it("creates a token that authenticates, lists it, and stops authenticating once deleted", async () => {
    const user = await createUser();
    const created = await call("POST", "/api/2.0/token/create", {
      token: user.token,
      body: { comment: "ci", lifetime_seconds: 3600 },
    });
    expect(created.status).toBe(200);
    expect(created.json.token_value).toMatch(/^dapi[0-9a-f]{32}$/);
    const info = created.json.token_info;
    expect(info).toMatchObject({ comment: "ci", token_id: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(info.expiry_time - info.creation_time).toBe(3600_000);
    expect(Math.abs(info.creation_time - Date.now())).toBeLessThan(60_000);

    const me = await call("GET", "/api/2.0/preview/scim/v2/Me", { token: created.json.token_value });
    expect(me.status).toBe(200);
    expect(me.json.userName).toBe(user.userName);

    const list = await call("GET", "/api/2.0/token/list", { token: created.json.token_value });
    expect(list.status).toBe(200);
    expect(list.json.token_infos).toHaveLength(2); // the one the admin issued and the new one
    expect(list.json.token_infos).toContainEqual(info);
    expect(JSON.stringify(list.json)).not.toContain(created.json.token_value);

    const deleted = await call("POST", "/api/2.0/token/delete", {
      token: user.token,
      body: { token_id: info.token_id },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    const after = await call("GET", "/api/2.0/token/list", { token: created.json.token_value });
    expect(after.status).toBe(401);
    expect(after.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("stores only the token's hash", async () => {
    const created = await call("POST", "/api/2.0/token/create", { body: {} });
    const row = await env.DB.prepare("SELECT * FROM tokens WHERE id = ?")
      .bind(created.json.token_info.token_id)
      .first<Record<string, unknown>>();
    expect(row).not.toBeNull();
    expect(Object.values(row!)).not.toContain(created.json.token_value);
  });

  it("reports -1 as the expiry of a token without a lifetime", async () => {
    const created = await call("POST", "/api/2.0/token/create", { body: {} });
    expect(created.json.token_info).toMatchObject({ expiry_time: -1, comment: "" });
  });

  it("rejects a token with 401 from its expiry on, even while this isolate has it cached", async () => {
    // Date stopped (the gateway shares this isolate), so the 1 s lifetime ends when the test says, within the cache
    // TTL.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    onTestFinished(() => void vi.useRealTimers());
    const created = await call("POST", "/api/2.0/token/create", { body: { lifetime_seconds: 1 } });
    const token = created.json.token_value;
    expect((await call("GET", "/api/2.0/token/list", { token })).status).toBe(200);
    vi.setSystemTime(created.json.token_info.expiry_time - 1);
    expect((await call("GET", "/api/2.0/token/list", { token })).status).toBe(200);
    vi.setSystemTime(created.json.token_info.expiry_time);
    const res = await call("GET", "/api/2.0/token/list", { token });
    expect(res.status).toBe(401);
    expect(res.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("lists only the caller's tokens and refuses to delete someone else's", async () => {
    const alice = await createUser();
    const bob = await createUser();
    const aliceList = await call("GET", "/api/2.0/token/list", { token: alice.token });
    const bobList = await call("GET", "/api/2.0/token/list", { token: bob.token });
    expect(aliceList.json.token_infos).toHaveLength(1);
    expect(bobList.json.token_infos).toHaveLength(1);
    const aliceTokenId = aliceList.json.token_infos[0].token_id;
    const res = await call("POST", "/api/2.0/token/delete", { token: bob.token, body: { token_id: aliceTokenId } });
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await call("GET", "/api/2.0/token/list", { token: alice.token })).status).toBe(200);
  });

  it("validates bodies, naming the field", async () => {
    const bad = await call("POST", "/api/2.0/token/create", { body: { lifetime_seconds: "soon" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(bad.json.message).toContain("lifetime_seconds");
    const fractional = await call("POST", "/api/2.0/token/create", { body: { lifetime_seconds: 1.5 } });
    expect(fractional.status).toBe(400);
    const unknown = await call("POST", "/api/2.0/token/create", { body: { lifetime: 5 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toContain("lifetime");
    const missing = await call("POST", "/api/2.0/token/delete", { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toContain("token_id");
  });
});
