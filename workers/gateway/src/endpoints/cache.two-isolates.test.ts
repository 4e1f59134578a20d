import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { afterAnotherIsolateWrote, afterThisIsolateWrote } from "../../test/cache-staleness";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createUser, uniqueName } from "../identity/scim/testing";

/**
 * The endpoint cache (endpoints/cache.ts) across isolates: a change made through another gateway isolate
 * (env.PEER, over the same D1) is served here from EDGESERVE_CACHE_TTL_MS after this isolate last read the
 * endpoint, and not before; a change made through this isolate is served at once.
 */

/** A chat query; `token` defaults to the admin's, `via` to this isolate. */
const ask = (name: string, content: string, options: { token?: string; via?: Fetcher } = {}) =>
  call("POST", `/serving-endpoints/${name}/invocations`, {
    body: { messages: [{ role: "user", content }] },
    ...options,
  });

let upstream: ReturnType<typeof fakeOpenAiUpstream>;
beforeEach(() => {
  upstream = fakeOpenAiUpstream();
});
afterEach(() => {
  vi.useRealTimers();
  upstream.restore();
});

async function readyEndpoint(): Promise<{ name: string; id: string }> {
  const name = uniqueName("cached");
  const created = await createReadyEndpoint(customChatEndpoint(name));
  return { name, id: created.id };
}

/** An endpoint `user` may query (CAN_QUERY). */
async function queryableEndpoint(): Promise<{ name: string; id: string; token: string }> {
  const endpoint = await readyEndpoint();
  const user = await createUser();
  const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${endpoint.id}`, {
    body: { access_control_list: [{ user_name: user.userName, permission_level: "CAN_QUERY" }] },
  });
  expect(grant.status, grant.text).toBe(200);
  return { ...endpoint, token: user.token };
}

const blockKeyword = { guardrails: { input: { invalid_keywords: ["launch codes"] } } };
const setGateway = (name: string, body: unknown, via?: Fetcher) =>
  call("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body, via });
const revokeAll = (id: string, via?: Fetcher) =>
  call("PUT", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [] }, via });
const remove = (name: string, via?: Fetcher) => call("DELETE", `/api/2.0/serving-endpoints/${name}`, { via });

describe("endpoint config cache", () => {
  it("serves another isolate's config change from the TTL on, and not before", async () => {
    const { name } = await readyEndpoint();
    const { there, after } = await afterAnotherIsolateWrote(
      (via) => ask(name, "the launch codes", { via }),
      (via) => setGateway(name, blockKeyword, via),
      200,
    );
    expect(there.status, "the writing isolate, at once").toBe(400);
    expect(after.status, after.text).toBe(400);
    expect(after.json.message).toContain("invalid_keywords");
  });

  it("serves this isolate's config change at once", async () => {
    const { name } = await readyEndpoint();
    expect(
      (
        await afterThisIsolateWrote(
          () => ask(name, "the launch codes"),
          () => setGateway(name, blockKeyword),
          200,
        )
      ).status,
    ).toBe(400);
    expect((await setGateway(name, {})).status).toBe(200);
    expect((await ask(name, "the launch codes")).status).toBe(200);
  });

  it("takes away a permission another isolate revoked from the TTL on, and not before", async () => {
    const { name, id, token } = await queryableEndpoint();
    const { there, after } = await afterAnotherIsolateWrote(
      (via) => ask(name, "hi", { token, via }),
      (via) => revokeAll(id, via),
      200,
    );
    expect(there.status, "the writing isolate, at once").toBe(403);
    expect(after.status, after.text).toBe(403);
    expect(after.json.error_code).toBe("PERMISSION_DENIED");
  });

  it("takes away a permission this isolate revoked at once", async () => {
    const { name, id, token } = await queryableEndpoint();
    expect(
      (
        await afterThisIsolateWrote(
          () => ask(name, "hi", { token }),
          () => revokeAll(id),
          200,
        )
      ).status,
    ).toBe(403);
  });

  it("stops answering for an endpoint another isolate deleted from the TTL on", async () => {
    const { name } = await readyEndpoint();
    const { there, after } = await afterAnotherIsolateWrote(
      (via) => ask(name, "hi", { via }),
      (via) => remove(name, via),
      200,
    );
    expect(there.status, "the writing isolate, at once").toBe(404);
    expect(after.status, after.text).toBe(404);
    expect(after.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("stops answering for an endpoint this isolate deleted at once", async () => {
    const { name } = await readyEndpoint();
    expect(
      (
        await afterThisIsolateWrote(
          () => ask(name, "hi"),
          () => remove(name),
          200,
        )
      ).status,
    ).toBe(404);
  });
});
