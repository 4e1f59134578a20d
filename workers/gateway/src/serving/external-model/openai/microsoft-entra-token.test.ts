import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  clearEntraTokenCache,
  entraTokenRequestBody,
  entraTokenUrl,
  getEntraToken,
  mapEntraError,
  refreshAt,
} from "./microsoft-entra-token";

const client = {
  origin: "https://login.microsoftonline.com",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "app-1",
  clientSecret: "s3cret",
};

// A recorded token response of the v2.0 endpoint (token shortened).
const TOKEN_RESPONSE = {
  token_type: "Bearer",
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig",
};
// A recorded error of a wrong client secret.
const INVALID_CLIENT = {
  error: "invalid_client",
  error_description:
    "AADSTS7000215: Invalid client secret provided. Ensure the secret being " +
    "sent in the request is the client secret value, not the client secret ID.",
  error_codes: [7000215],
  timestamp: "2024-11-05 10:21:33Z",
  trace_id: "0d2f3a4e-1f7b-4d26-9f63-1a2b3c4d5e00",
  correlation_id: "5c8f7d15-9a9d-4e1b-8b4a-2f3e4d5c6b7a",
  error_uri: "https://login.microsoftonline.com/error?code=7000215",
};

describe("token request", () => {
  it("posts the client-credentials grant for the Cognitive Services scope to the tenant's v2.0 endpoint", () => {
    expect(entraTokenUrl(client)).toBe(
      "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token",
    );
    expect(Object.fromEntries(entraTokenRequestBody(client))).toEqual({
      grant_type: "client_credentials",
      client_id: "app-1",
      client_secret: "s3cret",
      scope: "https://cognitiveservices.azure.com/.default",
    });
  });
  it("refreshes five minutes before expiry, or halfway for short-lived tokens", () => {
    expect(refreshAt(0, 3599)).toBe(3299_000);
    expect(refreshAt(1000, 120)).toBe(61_000);
  });
  it("reports a rejected client as the endpoint's credentials, never echoing the secret", () => {
    const e = mapEntraError(401, new Headers(), JSON.stringify(INVALID_CLIENT));
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/rejected the endpoint's credentials/);
    expect(
      mapEntraError(400, new Headers(), JSON.stringify({ ...INVALID_CLIENT, error: "invalid_request" })).status,
    ).toBe(502);
    expect(mapEntraError(503, new Headers(), "").status).toBe(503);
  });
});

describe("getEntraToken", () => {
  let now = 1_000_000;
  const fetchSpy = vi.spyOn(globalThis, "fetch");
  beforeEach(() => {
    clearEntraTokenCache();
    fetchSpy.mockReset();
    now = 1_000_000;
  });
  afterEach(() => fetchSpy.mockReset());

  it("fetches once and serves the cached token until shortly before expiry", async () => {
    fetchSpy.mockImplementation(
      async () => new Response(JSON.stringify(TOKEN_RESPONSE), { headers: { "content-type": "application/json" } }),
    );
    const options = { timeoutMs: 5000, now: () => now };
    expect(await getEntraToken(client, options)).toBe(TOKEN_RESPONSE.access_token);
    expect(await getEntraToken(client, options)).toBe(TOKEN_RESPONSE.access_token);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(entraTokenUrl(client));
    expect(new Headers(init?.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(String(init?.body)).toContain("grant_type=client_credentials");

    now += 3300_000;
    await getEntraToken(client, options);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    // Another secret is another cache entry.
    await getEntraToken({ ...client, clientSecret: "other" }, options);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
  });

  it(
    "reads the token answer with a schema: expires_in " + "as a string (v1), no access_token is a 502 naming it",
    async () => {
      fetchSpy.mockImplementation(async () => Response.json({ ...TOKEN_RESPONSE, expires_in: "600" }));
      const options = { timeoutMs: 5000, now: () => now };
      expect(await getEntraToken(client, options)).toBe(TOKEN_RESPONSE.access_token);
      now += 200_000;
      await getEntraToken(client, options);
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      // Ten minutes, refreshed five minutes early (the default hour would still be cached).
      now += 200_000;
      await getEntraToken(client, options);
      expect(fetchSpy).toHaveBeenCalledTimes(2);

      clearEntraTokenCache();
      fetchSpy.mockImplementation(async () => Response.json({ token_type: "Bearer", expires_in: 3599 }));
      const e = await getEntraToken(client, options).catch((x) => x);
      expect(e.status).toBe(502);
      expect(e.message).toContain("Microsoft Entra ID");
      expect(e.message).toContain("'access_token' is missing");
    },
  );

  it("throws a 502 when Entra ID rejects the client, and caches nothing", async () => {
    fetchSpy.mockImplementation(
      async () =>
        new Response(JSON.stringify(INVALID_CLIENT), { status: 401, headers: { "content-type": "application/json" } }),
    );
    await expect(getEntraToken(client, { timeoutMs: 5000 })).rejects.toMatchObject({ status: 502 });
    await expect(getEntraToken(client, { timeoutMs: 5000 })).rejects.toMatchObject({ status: 502 });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });
});
