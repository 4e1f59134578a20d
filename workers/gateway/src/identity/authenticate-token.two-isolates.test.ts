import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { CACHE_TTL_MS, stopClock } from "../../test/stopped-clock";
import { createGroup, createUser, uniqueName } from "./scim/testing";

/**
 * The token cache (identity/authenticate-token.ts) across isolates: a token revoked, or a principal
 * changed, through another gateway isolate (env.PEER, over the same D1) takes effect here from
 * EDGESERVE_CACHE_TTL_MS after this isolate last looked the token up, and not before; through this
 * isolate, at once.
 */

const peer = { via: env.PEER };
const SCIM = "/api/2.0/preview/scim/v2";
const me = (token: string) => call("GET", `${SCIM}/Me`, { token });

afterEach(() => {
  vi.useRealTimers();
});

async function userWithTokenId(): Promise<{ id: string; token: string; tokenId: string }> {
  const user = await createUser();
  const list = await call("GET", "/api/2.0/token/list", { token: user.token });
  expect(list.json.token_infos).toHaveLength(1);
  return { ...user, tokenId: list.json.token_infos[0].token_id };
}

describe("token cache", () => {
  it("refuses a token another isolate revoked from the TTL on, and not before", async () => {
    const user = await userWithTokenId();
    const clock = stopClock();
    expect((await me(user.token)).status).toBe(200);
    const revoked = await call("DELETE", `/api/2.0/token-management/tokens/${user.tokenId}`, peer);
    expect(revoked.status, revoked.text).toBe(200);
    expect((await call("GET", `${SCIM}/Me`, { token: user.token, ...peer })).status, "the other isolate").toBe(401);
    clock.at(CACHE_TTL_MS - 1);
    expect((await me(user.token)).status).toBe(200);
    clock.at(CACHE_TTL_MS);
    const refused = await me(user.token);
    expect(refused.status, refused.text).toBe(401);
    expect(refused.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token this isolate revoked at once", async () => {
    const user = await userWithTokenId();
    stopClock();
    expect((await me(user.token)).status).toBe(200);
    expect((await call("DELETE", `/api/2.0/token-management/tokens/${user.tokenId}`)).status).toBe(200);
    expect((await me(user.token)).status).toBe(401);
  });

  it("takes away what a group gave once another isolate removed the member, from the TTL on, and not before", async () => {
    const name = uniqueName("via-group");
    const { id } = await createReadyEndpoint(customChatEndpoint(name));
    const user = await createUser();
    const group = await createGroup(uniqueName("queriers"), [user.id]);
    const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [{ group_name: group.displayName, permission_level: "CAN_QUERY" }] } });
    expect(grant.status, grant.text).toBe(200);
    const upstream = fakeOpenAiUpstream();
    try {
      const ask = () => call("POST", `/serving-endpoints/${name}/invocations`, { token: user.token, body: { messages: [{ role: "user", content: "hi" }] } });
      const clock = stopClock();
      expect((await ask()).status).toBe(200);
      const removed = await call("PATCH", `${SCIM}/Groups/${group.id}`, {
        body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: `members[value eq "${user.id}"]` }] },
        ...peer,
      });
      expect(removed.status, removed.text).toBe(200);
      clock.at(CACHE_TTL_MS - 1);
      expect((await ask()).status).toBe(200);
      clock.at(CACHE_TTL_MS);
      const denied = await ask();
      expect(denied.status, denied.text).toBe(403);
      expect(denied.json.error_code).toBe("PERMISSION_DENIED");
    } finally {
      upstream.restore();
    }
  });
});
