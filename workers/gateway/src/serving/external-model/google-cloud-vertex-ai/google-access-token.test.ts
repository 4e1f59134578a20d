import { ApiError } from "@edgeserve/api";
import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLOUD_PLATFORM_SCOPE, clearAccessTokenCache, getAccessToken } from "./google-access-token";
import type { ServiceAccountKey } from "./parse-service-account-key";

let key: ServiceAccountKey;
let publicKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  publicKey = pair.publicKey;
  key = {
    clientEmail: "svc@proj.iam.gserviceaccount.com",
    privateKey: await exportPKCS8(pair.privateKey),
    privateKeyId: "kid-1",
  };
});
beforeEach(() => clearAccessTokenCache());

/** A token endpoint that checks the assertion like Google's does. */
function tokenEndpoint(
  answer: (n: number) => Response = (n) =>
    Response.json({ access_token: `ya29.token-${n}`, expires_in: 3599, token_type: "Bearer" }),
) {
  const seen: { url: string; claims: Record<string, unknown>; header: Record<string, unknown> }[] = [];
  const post = async (url: string, init: RequestInit) => {
    expect(init.method).toBe("POST");
    expect(new Headers(init.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(String(init.body));
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const { payload, protectedHeader } = await jwtVerify(form.get("assertion")!, publicKey, {
      audience: "https://oauth2.googleapis.com/token",
      issuer: key.clientEmail,
    });
    seen.push({ url, claims: payload, header: protectedHeader as Record<string, unknown> });
    return answer(seen.length);
  };
  return { post, seen };
}

describe("getAccessToken", () => {
  it("exchanges an RS256 assertion for a token, then serves it from the cache", async () => {
    const endpoint = tokenEndpoint();
    const first = await getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post });
    const second = await getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post });
    expect(first.token).toBe("ya29.token-1");
    expect(second.token).toBe("ya29.token-1");
    expect(endpoint.seen).toHaveLength(1);
    const { claims, header, url } = endpoint.seen[0]!;
    expect(url).toBe("http://t/token");
    expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: "kid-1" });
    expect(claims.scope).toBe(CLOUD_PLATFORM_SCOPE);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it("shares one exchange between concurrent calls and fetches a new token once forgotten", async () => {
    const endpoint = tokenEndpoint();
    const [a, b] = await Promise.all([
      getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post }),
      getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post }),
    ]);
    expect(a.token).toBe(b.token);
    expect(endpoint.seen).toHaveLength(1);
    a.forget();
    expect((await getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post })).token).toBe("ya29.token-2");
  });

  it("refreshes a token shortly before it expires", async () => {
    const endpoint = tokenEndpoint((n) => Response.json({ access_token: `short-${n}`, expires_in: 0.001 }));
    await getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post });
    await new Promise((r) => setTimeout(r, 5));
    expect((await getAccessToken(key, { tokenUrl: "http://t/token", post: endpoint.post })).token).toBe("short-2");
  });

  it("turns invalid_grant into a 502 about the endpoint's credentials, and 503 into 503", async () => {
    const rejected = tokenEndpoint(() =>
      Response.json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }, { status: 400 }),
    );
    const e = await getAccessToken(key, { tokenUrl: "http://t/token", post: rejected.post }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.message).toContain("rejected the endpoint's credentials");
    expect(e.message).toContain("Invalid JWT Signature.");
    const down = tokenEndpoint(() => new Response("unavailable", { status: 503 }));
    expect((await getAccessToken(key, { tokenUrl: "http://t/token", post: down.post }).catch((x) => x)).status).toBe(
      503,
    );
  });

  it("reads the token answer with a schema: without access_token it is a 502 naming the field", async () => {
    const odd = tokenEndpoint(() => Response.json({ token: "ya29.elsewhere", expires_in: 3599 }));
    const e = await getAccessToken(key, { tokenUrl: "http://t/token", post: odd.post }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.message).toContain("google-cloud-vertex-ai");
    expect(e.message).toContain("'access_token' is missing");
    // An unusable lifetime is not worth failing the call: the token is used for the default hour.
    const noLifetime = tokenEndpoint((n) => Response.json({ access_token: `ya29.t-${n}`, expires_in: "soon" }));
    expect((await getAccessToken(key, { tokenUrl: "http://t/token", post: noLifetime.post })).token).toBe("ya29.t-1");
    expect((await getAccessToken(key, { tokenUrl: "http://t/token", post: noLifetime.post })).token).toBe("ya29.t-1");
  });

  it("reports a key jose cannot import as a 502", async () => {
    const bad = { ...key, privateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" };
    const e = await getAccessToken(bad, { tokenUrl: "http://t/token", post: tokenEndpoint().post }).catch((x) => x);
    expect(e.status).toBe(502);
    expect(e.message).toContain("not a valid RSA private key");
  });
});
