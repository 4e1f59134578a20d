import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { CACHE_TTL_MS, stopClock } from "../../test/stopped-clock";
import { createUser, uniqueName } from "../identity/scim/testing";

/**
 * The endpoint cache (endpoints/cache.ts) across isolates: a change made through another gateway isolate
 * (env.PEER, over the same D1) is served here from EDGESERVE_CACHE_TTL_MS after this isolate last read the
 * endpoint, and not before; a change made through this isolate is served at once.
 */

const peer = { via: env.PEER };
/** A chat query; `token` defaults to the admin's, `via` to this isolate. */
const ask = (name: string, content: string, options: { token?: string; via?: Fetcher } = {}) =>
  call("POST", `/serving-endpoints/${name}/invocations`, { body: { messages: [{ role: "user", content }] }, ...options });

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

const blockKeyword = { guardrails: { input: { invalid_keywords: ["launch codes"] } } };

describe("endpoint config cache", () => {
  it("serves another isolate's config change from the TTL on, and not before", async () => {
    const { name } = await readyEndpoint();
    const clock = stopClock();
    expect((await ask(name, "the launch codes")).status).toBe(200);
    const put = await call("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: blockKeyword, ...peer });
    expect(put.status, put.text).toBe(200);
    const askedThere = await ask(name, "the launch codes", peer);
    expect(askedThere.status, "the other isolate, at once").toBe(400);
    clock.at(CACHE_TTL_MS - 1);
    expect((await ask(name, "the launch codes")).status).toBe(200);
    clock.at(CACHE_TTL_MS);
    const blocked = await ask(name, "the launch codes");
    expect(blocked.status, blocked.text).toBe(400);
    expect(blocked.json.message).toContain("invalid_keywords");
  });

  it("serves this isolate's config change at once", async () => {
    const { name } = await readyEndpoint();
    stopClock();
    expect((await ask(name, "the launch codes")).status).toBe(200);
    expect((await call("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: blockKeyword })).status).toBe(200);
    expect((await ask(name, "the launch codes")).status).toBe(400);
    expect((await call("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: {} })).status).toBe(200);
    expect((await ask(name, "the launch codes")).status).toBe(200);
  });

  it("takes away a permission another isolate revoked from the TTL on, and not before", async () => {
    const { name, id } = await readyEndpoint();
    const user = await createUser();
    const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [{ user_name: user.userName, permission_level: "CAN_QUERY" }] } });
    expect(grant.status, grant.text).toBe(200);
    const clock = stopClock();
    expect((await ask(name, "hi", { token: user.token })).status).toBe(200);
    const revoke = await call("PUT", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [] }, ...peer });
    expect(revoke.status, revoke.text).toBe(200);
    const askedThere = await ask(name, "hi", { token: user.token, ...peer });
    expect(askedThere.status, "the other isolate, at once").toBe(403);
    clock.at(CACHE_TTL_MS - 1);
    expect((await ask(name, "hi", { token: user.token })).status).toBe(200);
    clock.at(CACHE_TTL_MS);
    const denied = await ask(name, "hi", { token: user.token });
    expect(denied.status, denied.text).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");
  });

  it("takes away a permission this isolate revoked at once", async () => {
    const { name, id } = await readyEndpoint();
    const user = await createUser();
    await call("PATCH", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [{ user_name: user.userName, permission_level: "CAN_QUERY" }] } });
    stopClock();
    expect((await ask(name, "hi", { token: user.token })).status).toBe(200);
    expect((await call("PUT", `/api/2.0/permissions/serving-endpoints/${id}`, { body: { access_control_list: [] } })).status).toBe(200);
    expect((await ask(name, "hi", { token: user.token })).status).toBe(403);
  });

  it("stops answering for an endpoint another isolate deleted from the TTL on", async () => {
    const { name } = await readyEndpoint();
    const clock = stopClock();
    expect((await ask(name, "hi")).status).toBe(200);
    const deleted = await call("DELETE", `/api/2.0/serving-endpoints/${name}`, peer);
    expect(deleted.status, deleted.text).toBe(200);
    clock.at(CACHE_TTL_MS - 1);
    expect((await ask(name, "hi")).status).toBe(200);
    clock.at(CACHE_TTL_MS);
    const gone = await ask(name, "hi");
    expect(gone.status, gone.text).toBe(404);
    expect(gone.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("stops answering for an endpoint this isolate deleted at once", async () => {
    const { name } = await readyEndpoint();
    stopClock();
    expect((await ask(name, "hi")).status).toBe(200);
    expect((await call("DELETE", `/api/2.0/serving-endpoints/${name}`)).status).toBe(200);
    expect((await ask(name, "hi")).status).toBe(404);
  });
});
