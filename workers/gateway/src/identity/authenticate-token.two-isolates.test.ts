import { afterEach, describe, expect, it, vi } from "vitest";
import { afterAnotherIsolateWrote, afterThisIsolateWrote } from "../../test/cache-staleness";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createGroup, createUser, uniqueName } from "./scim/testing";

/**
 * The token cache (identity/authenticate-token.ts) across isolates: a token revoked, or a principal
 * changed, through another gateway isolate (env.PEER, over the same D1) takes effect here from
 * EDGESERVE_CACHE_TTL_MS after this isolate last looked the token up, and not before; through this
 * isolate, at once.
 */

const SCIM = "/api/2.0/preview/scim/v2";
const me = (token: string, via?: Fetcher) => call("GET", `${SCIM}/Me`, { token, via });
const revoke = (tokenId: string, via?: Fetcher) =>
  call("DELETE", `/api/2.0/token-management/tokens/${tokenId}`, { via });

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
    const { there, after } = await afterAnotherIsolateWrote(
      (via) => me(user.token, via),
      (via) => revoke(user.tokenId, via),
      200,
    );
    expect(there.status, "the writing isolate, at once").toBe(401);
    expect(after.status, after.text).toBe(401);
    expect(after.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token this isolate revoked at once", async () => {
    const user = await userWithTokenId();
    expect(
      (
        await afterThisIsolateWrote(
          () => me(user.token),
          () => revoke(user.tokenId),
          200,
        )
      ).status,
    ).toBe(401);
  });

  it(
    "takes away what a group gave once another isolate " + "removed the member, from the TTL on, and not before",
    async () => {
      const name = uniqueName("via-group");
      const { id } = await createReadyEndpoint(customChatEndpoint(name));
      const user = await createUser();
      const group = await createGroup(uniqueName("queriers"), [user.id]);
      const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, {
        body: { access_control_list: [{ group_name: group.displayName, permission_level: "CAN_QUERY" }] },
      });
      expect(grant.status, grant.text).toBe(200);
      const upstream = fakeOpenAiUpstream();
      try {
        const ask = (via?: Fetcher) =>
          call("POST", `/serving-endpoints/${name}/invocations`, {
            token: user.token,
            body: { messages: [{ role: "user", content: "hi" }] },
            via,
          });
        const removeMember = (via: Fetcher) =>
          call("PATCH", `${SCIM}/Groups/${group.id}`, {
            body: {
              schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              Operations: [{ op: "remove", path: `members[value eq "${user.id}"]` }],
            },
            via,
          });
        const { there, after } = await afterAnotherIsolateWrote(ask, removeMember, 200);
        expect(there.status, "the writing isolate, at once").toBe(403);
        expect(after.status, after.text).toBe(403);
        expect(after.json.error_code).toBe("PERMISSION_DENIED");
      } finally {
        upstream.restore();
      }
    },
  );
});
