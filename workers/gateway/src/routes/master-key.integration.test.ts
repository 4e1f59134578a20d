import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../index";
import type { Env } from "../env";
import { ADMIN_TOKEN, call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createUserWithToken } from "../../test/principals";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const OLD_KEY = env.EDGESERVE_MASTER_KEY!;
const NEW_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 200 - i)));

/** The gateway as deployed with other settings (a rotated master key): its fetch called with that env. */
async function callWith(settings: Partial<Env>, method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const ctx = createExecutionContext();
  const request = new Request(`https://edgeserve.test${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const response = await worker.fetch(request, { ...env, ...settings } as Env, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

async function storedCiphertexts(): Promise<Map<string, string>> {
  const rows = await env.DB.prepare("SELECT scope, key, ciphertext FROM secrets ORDER BY scope, key").all<{
    scope: string;
    key: string;
    ciphertext: string;
  }>();
  return new Map(rows.results.map((r) => [`${r.scope}/${r.key}`, r.ciphertext]));
}

const chat = { messages: [{ role: "user", content: "hi" }] };

describe("master-key rotation (POST /api/2.0/edgeserve/master-key/re-encrypt)", () => {
  it("keeps every secret usable through a rotation and leaves them all under the new key", async () => {
    expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope: "rotate-me" } })).status).toBe(200);
    for (const key of ["a", "b", "c"])
      expect(
        (
          await call("POST", "/api/2.0/secrets/put", {
            body: { scope: "rotate-me", key, string_value: `value-${key}` },
          })
        ).status,
      ).toBe(200);
    await createReadyEndpoint(customChatEndpoint("rotating"));
    const before = await storedCiphertexts();
    expect(before.size).toBe(4);

    // Step 1: the new key is live, the old one kept as previous. Nothing is re-encrypted yet, and queries work.
    const rotating = { EDGESERVE_MASTER_KEY: NEW_KEY, EDGESERVE_MASTER_KEY_PREVIOUS: OLD_KEY };
    upstream = fakeOpenAiUpstream();
    const during = await callWith(rotating, "POST", "/serving-endpoints/rotating/invocations", chat);
    expect(during.status, during.text).toBe(200);
    expect(upstream.calls.at(-1)!.headers.authorization).toBe("Bearer sk-upstream-secret-123");

    // Step 2: re-encrypt page by page (two secrets per call).
    let pageToken: string | undefined;
    let total = 0;
    let pages = 0;
    do {
      const page = await callWith(rotating, "POST", "/api/2.0/edgeserve/master-key/re-encrypt", {
        max_results: 2,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      expect(page.status, page.text).toBe(200);
      expect(page.json.undecryptable).toEqual([]);
      expect(page.json.already_current).toBe(0);
      expect(page.text).not.toContain("value-");
      total += page.json.re_encrypted;
      pageToken = page.json.next_page_token;
      pages++;
    } while (pageToken);
    expect(total).toBe(4);
    expect(pages).toBe(2);
    const after = await storedCiphertexts();
    for (const [where, ciphertext] of after) expect(ciphertext, where).not.toBe(before.get(where));

    // A second pass finds nothing left to do.
    const again = await callWith(rotating, "POST", "/api/2.0/edgeserve/master-key/re-encrypt", {});
    expect(again.json).toEqual({ re_encrypted: 0, already_current: 4, undecryptable: [] });

    // Step 3: the previous key is removed; the endpoint still answers with the same credential.
    const rotated = { EDGESERVE_MASTER_KEY: NEW_KEY, EDGESERVE_MASTER_KEY_PREVIOUS: undefined };
    const done = await callWith(rotated, "POST", "/serving-endpoints/rotating/invocations", chat);
    expect(done.status, done.text).toBe(200);
    expect(upstream.calls.at(-1)!.headers.authorization).toBe("Bearer sk-upstream-secret-123");
  });

  it("reports (by name only) and leaves alone values that neither key opens", async () => {
    expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope: "foreign" } })).status).toBe(200);
    expect(
      (
        await call("POST", "/api/2.0/secrets/put", {
          body: { scope: "foreign", key: "k", string_value: "sealed-with-old" },
        })
      ).status,
    ).toBe(200);
    const before = await storedCiphertexts();
    // The old key is gone without a re-encryption: nothing can open the value.
    const page = await callWith(
      { EDGESERVE_MASTER_KEY: NEW_KEY },
      "POST",
      "/api/2.0/edgeserve/master-key/re-encrypt",
      {},
    );
    expect(page.status, page.text).toBe(200);
    expect(page.json.undecryptable).toContainEqual({ scope: "foreign", key: "k" });
    expect(page.json.re_encrypted).toBe(0);
    expect(page.text).not.toContain("sealed-with-old");
    expect((await storedCiphertexts()).get("foreign/k")).toBe(before.get("foreign/k"));
  });

  it("is for admins only, validates its body, and changes nothing when refused", async () => {
    const alice = await createUserWithToken("rotation-alice@example.com");
    const before = await storedCiphertexts();
    const denied = await callWith(
      { EDGESERVE_MASTER_KEY: NEW_KEY, EDGESERVE_MASTER_KEY_PREVIOUS: OLD_KEY },
      "POST",
      "/api/2.0/edgeserve/master-key/re-encrypt",
      {},
      alice.token,
    );
    expect(denied.status).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");
    for (const [body, message] of [
      [{ max_results: 0 }, /max_results/],
      [{ max_results: 501 }, /at most 500/],
      [{ page_token: "not-a-token" }, /page_token/],
      [{ surprise: 1 }, /Unknown field 'surprise'/],
    ] as const) {
      const res = await call("POST", "/api/2.0/edgeserve/master-key/re-encrypt", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
    expect(await storedCiphertexts()).toEqual(before);
  });

  it("logs which setting is malformed when the previous key is, never the key itself", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await callWith(
        { EDGESERVE_MASTER_KEY: NEW_KEY, EDGESERVE_MASTER_KEY_PREVIOUS: "not-a-key" },
        "POST",
        "/api/2.0/edgeserve/master-key/re-encrypt",
        {},
      );
      expect(res.status).toBe(500);
      expect(res.json.error_code).toBe("INTERNAL_ERROR");
      const lines = logged.mock.calls.map((args) => args.join(" "));
      expect(lines.some((l) => l.includes("EDGESERVE_MASTER_KEY_PREVIOUS is invalid"))).toBe(true);
      for (const text of [res.text, ...lines]) expect(text).not.toContain("not-a-key");
    } finally {
      logged.mockRestore();
    }
  });
});
