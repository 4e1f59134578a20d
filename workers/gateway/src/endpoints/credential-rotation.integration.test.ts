import { env } from "cloudflare:workers";
import { openDatabase } from "@edgeserve/db";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { cacheTtlMs } from "../cache/ttl-cache";
import { putSecretValue } from "../secrets/store";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const chat = { messages: [{ role: "user", content: "hi" }] };

/** An endpoint whose credential is `{{secrets/<scope>/openai}}`, a user-managed secret holding `first`. */
async function endpointOnUserSecret(name: string, scope: string, first: string) {
  expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope } })).status).toBe(200);
  expect(
    (await call("POST", "/api/2.0/secrets/put", { body: { scope, key: "openai", string_value: first } })).status,
  ).toBe(200);
  const body = customChatEndpoint(name);
  body.config.served_entities[0]!.external_model.custom_provider_config.bearer_token_auth = {
    token: `{{secrets/${scope}/openai}}`,
  } as never;
  await createReadyEndpoint(body);
}

/** The Authorization header the upstream saw on the last query. */
async function credentialSeen(name: string): Promise<string | undefined> {
  const before = upstream!.calls.length;
  const res = await call("POST", `/serving-endpoints/${name}/invocations`, { body: chat });
  expect(res.status, res.text).toBe(200);
  expect(upstream!.calls).toHaveLength(before + 1);
  return upstream!.calls.at(-1)!.headers.authorization;
}

/** Queries until `done` holds, at most the isolate's staleness bound (the cache TTL) plus slack for a slow host. */
async function withinStalenessBound(done: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  const bound = cacheTtlMs(env) + 3_000;
  while (!(await done())) {
    if (Date.now() - started > bound)
      throw new Error(`still stale after ${Date.now() - started} ms (bound ${bound} ms)`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - started;
}

describe("rotated and deleted secrets take effect", () => {
  it("a secret rotated through the API is used by the next query of the isolate that rotated it", async () => {
    await endpointOnUserSecret("rot-api", "rot-api-scope", "sk-old-key");
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-api")).toBe("Bearer sk-old-key");

    const put = await call("POST", "/api/2.0/secrets/put", {
      body: { scope: "rot-api-scope", key: "openai", string_value: "sk-new-key" },
    });
    expect(put.status).toBe(200);
    expect(await credentialSeen("rot-api")).toBe("Bearer sk-new-key");
  });

  it("a secret rotated by another isolate is used by this one within EDGESERVE_CACHE_TTL_MS", async () => {
    await endpointOnUserSecret("rot-elsewhere", "rot-elsewhere-scope", "sk-before");
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-elsewhere")).toBe("Bearer sk-before");

    // What another isolate's PUT leaves in D1: the new ciphertext, without this isolate's cache being told.
    await putSecretValue(openDatabase(env.DB), env, "rot-elsewhere-scope", "openai", "sk-after");
    await withinStalenessBound(async () => (await credentialSeen("rot-elsewhere")) === "Bearer sk-after");
    // And it stays rotated.
    expect(await credentialSeen("rot-elsewhere")).toBe("Bearer sk-after");
  });

  it("a deleted secret stops working: queries answer 503 naming the credential, never its value", async () => {
    await endpointOnUserSecret("rot-deleted", "rot-deleted-scope", "sk-doomed-key");
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-deleted")).toBe("Bearer sk-doomed-key");

    expect(
      (await call("POST", "/api/2.0/secrets/delete", { body: { scope: "rot-deleted-scope", key: "openai" } })).status,
    ).toBe(200);
    const calls = upstream.calls.length;
    const res = await call("POST", "/serving-endpoints/rot-deleted/invocations", { body: chat });
    expect(res.status).toBe(503);
    expect(res.json.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(res.json.message).toContain("bearer_token_auth.token");
    expect(res.text).not.toContain("sk-doomed-key");
    expect(upstream.calls).toHaveLength(calls);
  });

  it("a secret deleted by another isolate stops working within EDGESERVE_CACHE_TTL_MS", async () => {
    await endpointOnUserSecret("rot-deleted-elsewhere", "rot-del-else-scope", "sk-doomed-elsewhere");
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-deleted-elsewhere")).toBe("Bearer sk-doomed-elsewhere");

    await env.DB.prepare("DELETE FROM secrets WHERE scope = ? AND key = ?").bind("rot-del-else-scope", "openai").run();
    await withinStalenessBound(
      async () =>
        (await call("POST", "/serving-endpoints/rot-deleted-elsewhere/invocations", { body: chat })).status === 503,
    );
  });

  it("a deleted endpoint's credentials are never used again: 404 at once here, and its secrets are gone", async () => {
    const ready = await createReadyEndpoint(customChatEndpoint("rot-gone"));
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-gone")).toBe("Bearer sk-upstream-secret-123");

    expect((await call("DELETE", "/api/2.0/serving-endpoints/rot-gone")).status).toBe(200);
    const calls = upstream.calls.length;
    const res = await call("POST", "/serving-endpoints/rot-gone/invocations", { body: chat });
    expect(res.status).toBe(404);
    expect(upstream.calls).toHaveLength(calls);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM secrets WHERE scope = ?")
      .bind(`endpoint-${ready.id}`)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it("an endpoint deleted by another isolate stops answering within EDGESERVE_CACHE_TTL_MS", async () => {
    const ready = await createReadyEndpoint(customChatEndpoint("rot-gone-elsewhere"));
    upstream = fakeOpenAiUpstream();
    expect(await credentialSeen("rot-gone-elsewhere")).toBe("Bearer sk-upstream-secret-123");

    // Another isolate's DELETE: the row and the endpoint's own credential scope go, this isolate is not told.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM secrets WHERE scope = ?").bind(`endpoint-${ready.id}`),
      env.DB.prepare("DELETE FROM endpoints WHERE id = ?").bind(ready.id),
    ]);
    await withinStalenessBound(
      async () =>
        (await call("POST", "/serving-endpoints/rot-gone-elsewhere/invocations", { body: chat })).status === 404,
    );
  });
});
