import { client, sdkCall } from "./sdk";

/** Secret scopes the caller may read, and the keys in one: names only, the API never returns values here. */
export async function listSecretScopes(signal?: AbortSignal): Promise<{ name: string; backend_type?: string }[]> {
  const res = (await sdkCall(client().GET("/api/2.0/secrets/scopes/list", { signal }))) as {
    scopes?: { name: string; backend_type?: string }[];
  };
  return res.scopes ?? [];
}

export async function listSecretKeys(
  scope: string,
  signal?: AbortSignal,
): Promise<{ key: string; last_updated_timestamp?: number }[]> {
  const res = (await sdkCall(client().GET("/api/2.0/secrets/list", { params: { query: { scope } }, signal }))) as {
    secrets?: { key: string; last_updated_timestamp?: number }[];
  };
  return res.secrets ?? [];
}
