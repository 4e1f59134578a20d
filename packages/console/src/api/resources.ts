import { client, sdkCall } from "./sdk";

/** The registry, tokens and identities: the read calls of the console's simple list pages. */
export interface RegisteredModel {
  name: string;
  description?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  aliases?: { alias: string; version: string }[];
  latest_versions?: { version: string; status?: string }[];
}

export interface ModelVersion {
  name: string;
  version: string;
  status?: string;
  source?: string;
  creation_timestamp?: number;
  aliases?: string[];
  description?: string;
  tags?: { key: string; value: string }[];
}

export async function searchRegisteredModels(signal?: AbortSignal): Promise<RegisteredModel[]> {
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/registered-models/search", { params: { query: { max_results: 100 } }, signal }),
  )) as { registered_models?: RegisteredModel[] };
  return res.registered_models ?? [];
}

export async function getRegisteredModel(name: string, signal?: AbortSignal): Promise<RegisteredModel> {
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/registered-models/get", { params: { query: { name } }, signal }),
  )) as { registered_model: RegisteredModel };
  return res.registered_model;
}

export async function searchModelVersions(name: string, signal?: AbortSignal): Promise<ModelVersion[]> {
  const filter = `name='${name.replaceAll("'", "\\'")}'`;
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/model-versions/search", { params: { query: { filter } }, signal }),
  )) as { model_versions?: ModelVersion[] };
  return res.model_versions ?? [];
}

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
