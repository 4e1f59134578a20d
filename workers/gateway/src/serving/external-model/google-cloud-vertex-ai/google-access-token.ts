import { ApiError } from "@edgeserve/api";
import { SignJWT, importPKCS8 } from "jose";
import { sha256Hex } from "../../../hex";
import { mapUpstreamError } from "../../upstream-errors";
import { oauthErrorDetail, oauthTokenResponseSchema } from "../shared/oauth-token-response";
import { parseProviderJson } from "../shared/provider-json";
import type { ServiceAccountKey } from "./parse-service-account-key";
import { GOOGLE_TOKEN_URL } from "./vertex-urls";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const PROVIDER = "google-cloud-vertex-ai";

/**
 * The service account's signed assertion (RS256, one hour): issued by its `client_email` for the
 * cloud-platform scope, with Google's token endpoint as audience. The audience stays Google's public
 * token URL even when the request goes through a proxy or a test double.
 */
async function signServiceAccountAssertion(
  key: ServiceAccountKey,
  signingKey: CryptoKey,
  nowSeconds: number,
): Promise<string> {
  return new SignJWT({ scope: CLOUD_PLATFORM_SCOPE })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) })
    .setIssuer(key.clientEmail)
    .setAudience(GOOGLE_TOKEN_URL)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 3600)
    .sign(signingKey);
}

interface CachedToken {
  token: string;
  /** Epoch ms after which a new token is fetched (shortly before Google's expiry). */
  refreshAt: number;
}

/** Per isolate: access tokens by token URL + service account + key fingerprint, and in-flight exchanges. */
const tokens = new Map<string, CachedToken>();
const pending = new Map<string, Promise<string>>();
const signingKeys = new Map<string, Promise<CryptoKey>>();

function signingKeyOf(key: ServiceAccountKey, keyFingerprint: string): Promise<CryptoKey> {
  let promise = signingKeys.get(keyFingerprint);
  if (!promise) {
    promise = importPKCS8(key.privateKey, "RS256").catch(() => {
      signingKeys.delete(keyFingerprint);
      throw new ApiError(
        "BAD_GATEWAY",
        "The private_key of this google-cloud-vertex-ai endpoint is not a valid RSA " +
          "private key. Ask the endpoint's owner to store the service account's JSON key file.",
        { status: 502 },
      );
    });
    signingKeys.set(keyFingerprint, promise);
  }
  return promise;
}

export type PostForm = (url: string, init: RequestInit) => Promise<Response>;

async function exchange(
  key: ServiceAccountKey,
  signingKey: CryptoKey,
  tokenUrl: string,
  post: PostForm,
  cacheKey: string,
): Promise<string> {
  const now = Date.now();
  const assertion = await signServiceAccountAssertion(key, signingKey, Math.floor(now / 1000));
  const response = await post(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
  });
  const text = await response.text();
  if (!response.ok) {
    // `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`: the key is the endpoint's problem.
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      const detail = oauthErrorDetail(text);
      return Promise.reject(
        new ApiError(
          "BAD_GATEWAY",
          `The provider '${PROVIDER}' rejected the endpoint's credentials: Google's token ` +
            `endpoint refused the service account's assertion (HTTP ` +
            `${response.status}${detail ? `, ${detail}` : ""}). Ask the endpoint's owner to check its private_key.`,
          { status: 502 },
        ),
      );
    }
    throw mapUpstreamError(response.status, response.headers, text, PROVIDER);
  }
  const body = parseProviderJson(oauthTokenResponseSchema, text, PROVIDER, "a token response");
  const lifetime = body.expires_in ?? 3600;
  // Refresh five minutes early (or halfway through a short-lived token) so no request carries a token about to lapse.
  tokens.set(cacheKey, { token: body.access_token, refreshAt: now + (lifetime - Math.min(300, lifetime / 2)) * 1000 });
  return body.access_token;
}

/** A Vertex AI access token for the service account: from this isolate's cache, or exchanged for a signed JWT. */
export async function getAccessToken(
  key: ServiceAccountKey,
  options: { tokenUrl: string; post: PostForm },
): Promise<{ token: string; forget(): void }> {
  const keyFingerprint = await sha256Hex(key.privateKey);
  const cacheKey = `${options.tokenUrl}|${key.clientEmail}|${keyFingerprint}`;
  const forget = () => {
    tokens.delete(cacheKey);
  };
  const cached = tokens.get(cacheKey);
  if (cached && cached.refreshAt > Date.now()) return { token: cached.token, forget };
  let inflight = pending.get(cacheKey);
  if (!inflight) {
    inflight = signingKeyOf(key, keyFingerprint)
      .then((signingKey) => exchange(key, signingKey, options.tokenUrl, options.post, cacheKey))
      .finally(() => pending.delete(cacheKey));
    pending.set(cacheKey, inflight);
  }
  return { token: await inflight, forget };
}

/** For tests: forget every cached token. */
export function clearAccessTokenCache(): void {
  tokens.clear();
  pending.clear();
}
