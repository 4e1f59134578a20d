import { apiErrorOf } from "./api-error";
import { client, sdkCall } from "./sdk";
import { currentToken, setToken } from "./session";

/** The MLflow model registry (registered models, versions, aliases) and its artifact proxy. */
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
  last_updated_timestamp?: number;
  creator?: string;
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

export async function createRegisteredModel(name: string): Promise<void> {
  await sdkCall(client().POST("/api/2.0/mlflow/registered-models/create", { body: { name } }));
}

export async function setModelAlias(name: string, alias: string, version: string): Promise<void> {
  await sdkCall(client().POST("/api/2.0/mlflow/registered-models/alias", { body: { name, alias, version } }));
}

export async function searchModelVersions(name: string, signal?: AbortSignal): Promise<ModelVersion[]> {
  const filter = `name='${name.replaceAll("'", "\\'")}'`;
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/model-versions/search", { params: { query: { filter } }, signal }),
  )) as { model_versions?: ModelVersion[] };
  return res.model_versions ?? [];
}

export async function getModelVersion(name: string, version: string, signal?: AbortSignal): Promise<ModelVersion> {
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/model-versions/get", { params: { query: { name, version } }, signal }),
  )) as { model_version: ModelVersion };
  return res.model_version;
}

export async function createModelVersion(name: string, source: string): Promise<ModelVersion> {
  const res = (await sdkCall(client().POST("/api/2.0/mlflow/model-versions/create", { body: { name, source } }))) as {
    model_version: ModelVersion;
  };
  return res.model_version;
}

/** `mlflow-artifacts:/<dir>`: where the version's files are. */
async function downloadUri(name: string, version: string, signal?: AbortSignal): Promise<string> {
  const res = (await sdkCall(
    client().GET("/api/2.0/mlflow/model-versions/get-download-uri", { params: { query: { name, version } }, signal }),
  )) as { artifact_uri: string };
  return res.artifact_uri;
}

export const ARTIFACTS_PATH = "/api/2.0/mlflow-artifacts/artifacts";
export const MPU_PATH = "/api/2.0/mlflow-artifacts/mpu";

/** An artifact path as URL segments (the SDK's `{artifact_path}` parameter cannot hold slashes). */
export const encodeArtifactPath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/**
 * A call to the artifact proxy with the session's token, by plain fetch: its paths hold slashes the SDK's path
 * parameters would escape. Non-2xx answers become the API's own ApiError.
 */
export async function artifactFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${currentToken() ?? ""}`);
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    if (res.status === 401) setToken(null);
    throw apiErrorOf(res.status, await res.text(), res.headers);
  }
  return res;
}

/** The text of the version's `MLmodel` file (its flavors and signature). */
export async function readMlModelText(name: string, version: string, signal?: AbortSignal): Promise<string> {
  const dir = (await downloadUri(name, version, signal)).replace(/^mlflow-artifacts:\/*/, "");
  const res = await artifactFetch(`${ARTIFACTS_PATH}/${encodeArtifactPath(`${dir}/MLmodel`)}`, { signal });
  return res.text();
}
