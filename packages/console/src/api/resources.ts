import { client, sdkCall } from "./sdk";

/** Tokens and identities: the read calls of the console's simple list pages (the registry: registry.ts). */
export interface TokenInfo {
  token_id: string;
  comment?: string;
  creation_time?: number;
  expiry_time?: number;
}

export async function listTokens(signal?: AbortSignal): Promise<TokenInfo[]> {
  const res = (await sdkCall(client().GET("/api/2.0/token/list", { signal }))) as { token_infos?: TokenInfo[] };
  return res.token_infos ?? [];
}

export interface ScimResource {
  id: string;
  userName?: string;
  displayName?: string;
  applicationId?: string;
  active?: boolean;
  members?: { value: string; display?: string }[];
}

export async function listScim(
  kind: "Users" | "Groups" | "ServicePrincipals",
  signal?: AbortSignal,
): Promise<ScimResource[]> {
  const path = `/api/2.0/preview/scim/v2/${kind}` as "/api/2.0/preview/scim/v2/Users";
  const res = (await sdkCall(client().GET(path, { signal }))) as { Resources?: ScimResource[] };
  return res.Resources ?? [];
}
