import { expect } from "vitest";
import { call } from "../../test/client";

/** Test helpers for the registry: unique names, a model with versions whose files are in R2. */

let counter = 0;
export function uniqueModelName(prefix = "main.default.model"): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

export const RM = "/api/2.0/mlflow/registered-models";
export const MV = "/api/2.0/mlflow/model-versions";
export const ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

export async function createModel(name: string, token?: string): Promise<any> {
  const res = await call("POST", `${RM}/create`, { body: { name }, ...(token ? { token } : {}) });
  expect(res.status, res.text).toBe(200);
  return res.json.registered_model;
}

/** Puts a file through the artifact proxy. */
async function putArtifact(path: string, content: string | Uint8Array, token?: string): Promise<void> {
  const res = await call("PUT", `${ARTIFACTS}/${path}`, {
    body: typeof content === "string" ? content : undefined,
    headers: { "content-type": "application/octet-stream" },
    ...(token ? { token } : {}),
  });
  expect(res.status, res.text).toBe(200);
}

/**
 * Uploads a servable model directory under models/<name>/<n> (an MLmodel with an onnx flavor and a
 * model.onnx stand-in, which the deployment sizes) and registers it as the next version.
 */
export async function createVersionWithFiles(name: string, n: number, token?: string): Promise<any> {
  await putArtifact(`models/${name}/${n}/model.onnx`, `onnx bytes of version ${n}`, token);
  await putArtifact(`models/${name}/${n}/MLmodel`, `flavors:\n  onnx:\n    data: model.onnx\n# version ${n}\n`, token);
  const res = await call("POST", `${MV}/create`, {
    body: { name, source: `mlflow-artifacts:/models/${name}/${n}` },
    ...(token ? { token } : {}),
  });
  expect(res.status, res.text).toBe(200);
  return res.json.model_version;
}
