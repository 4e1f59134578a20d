import type { ApiError } from "@edgeserve/api";
import { sha256Hex } from "../../../hex";
import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import { oauthTokenResponseSchema } from "../shared/oauth-token-response";
import { parseProviderJson } from "../shared/provider-json";

/** Microsoft Entra ID's public origin (the token URL is `{origin}/{tenant}/oauth2/v2.0/token`). */
export const ENTRA_PUBLIC_ORIGIN = "https://login.microsoftonline.com";
const AZURE_OPENAI_SCOPE = "https://cognitiveservices.azure.com/.default";
/** How errors name the token endpoint: the provider, and that the token step failed. */
const ENTRA_PROVIDER = "openai (Microsoft Entra ID)";

export interface EntraClient {
  /** `https://login.microsoftonline.com` or its override. */
  origin: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

interface CachedToken {
  token: string;
  /** When to stop using it (ms): shortly before it expires. */
  refreshAt: number;
}

/** Tokens per isolate, keyed by token URL, client and a digest of the secret (never the secret itself). */
const cache = new Map<string, CachedToken>();

export function entraTokenUrl(client: Pick<EntraClient, "origin" | "tenantId">): string {
  return `${client.origin.replace(/\/+$/, "")}/${encodeURIComponent(client.tenantId)}/oauth2/v2.0/token`;
}

/** The client-credentials grant body (form-encoded) for the Azure OpenAI scope. */
export function entraTokenRequestBody(client: Pick<EntraClient, "clientId" | "clientSecret">): URLSearchParams {
  return new URLSearchParams({
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    scope: AZURE_OPENAI_SCOPE,
  });
}

/** Stop using a token 5 minutes before it expires (or halfway, for short-lived ones). */
export function refreshAt(now: number, expiresInSeconds: number): number {
  const margin = Math.min(300, expiresInSeconds / 2);
  return now + (expiresInSeconds - margin) * 1000;
}

/**
 * Entra ID errors: a bad secret, client or tenant (400/401) is the endpoint's configuration, never
 * the caller's — so it is reported as rejected credentials, not as a 400.
 */
export function mapEntraError(status: number, headers: Headers, bodyText: string): ApiError {
  if (status === 400 || status === 401 || status === 403)
    return mapUpstreamError(401, headers, bodyText, ENTRA_PROVIDER);
  return mapUpstreamError(status, headers, bodyText, ENTRA_PROVIDER);
}

async function requestToken(
  client: EntraClient,
  options: { timeoutMs: number; signal?: AbortSignal },
  now: () => number,
): Promise<CachedToken> {
  const response = await fetchUpstream(
    entraTokenUrl(client),
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: entraTokenRequestBody(client).toString(),
    },
    { timeoutMs: options.timeoutMs, signal: options.signal, provider: ENTRA_PROVIDER },
  );
  const text = await response.text();
  if (!response.ok) throw mapEntraError(response.status, response.headers, text);
  const json = parseProviderJson(oauthTokenResponseSchema, text, ENTRA_PROVIDER, "a token response");
  return { token: json.access_token, refreshAt: refreshAt(now(), json.expires_in ?? 3600) };
}

/**
 * An access token for Azure OpenAI from the client-credentials grant, cached per isolate until
 * shortly before it expires. Only settled tokens are cached: a promise shared across requests
 * would tie one request's I/O to another's in workerd.
 */
export async function getEntraToken(
  client: EntraClient,
  options: { timeoutMs: number; signal?: AbortSignal; now?: () => number },
): Promise<string> {
  const now = options.now ?? Date.now;
  const key = `${entraTokenUrl(client)}|${client.clientId}|${await sha256Hex(client.clientSecret)}`;
  const cached = cache.get(key);
  if (cached && cached.refreshAt > now()) return cached.token;
  const fresh = await requestToken(client, options, now);
  cache.set(key, fresh);
  return fresh.token;
}

/** For tests: forget every cached token. */
export function clearEntraTokenCache(): void {
  cache.clear();
}
