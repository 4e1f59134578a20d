import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call } from "./client";
import { waitUntilSettled } from "./endpoints";

/** A stand-in for an ONNX file: the contract-checking fake inference worker never reads it, the deployment sizes it. */
const ONNX_FILE = { "model.onnx": "onnx bytes" };

/**
 * Registers `name` in the model registry (if new) and adds versions until `version` exists, the last one
 * holding `mlmodel` as its MLmodel file and `files` beside it (uploaded through the artifact proxy).
 */
export async function storeTestModel(
  name: string,
  version: string,
  mlmodel: string,
  files: Record<string, string> = ONNX_FILE,
): Promise<void> {
  const created = await call("POST", "/api/2.0/mlflow/registered-models/create", { body: { name } });
  expect([200, 409], created.text).toContain(created.status);
  for (;;) {
    const latest = await call("GET", `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(name)}`);
    const versions = (latest.json.registered_model.latest_versions ?? []).map((v: { version: string }) =>
      Number(v.version),
    );
    const next = Math.max(0, ...versions) + 1;
    if (next > Number(version)) return;
    const dir = `models/${name}/v${next}`;
    const last = next === Number(version);
    for (const [path, content] of Object.entries({
      ...(last ? files : {}),
      MLmodel: last ? mlmodel : "flavors:\n  python_function: {}\n",
    })) {
      const put = await call("PUT", `/api/2.0/mlflow-artifacts/artifacts/${dir}/${path}`, {
        body: content,
        headers: { "content-type": "application/octet-stream" },
      });
      expect(put.status, put.text).toBe(200);
    }
    const mv = await call("POST", "/api/2.0/mlflow/model-versions/create", {
      body: { name, source: `mlflow-artifacts:/${dir}` },
    });
    expect(mv.status, mv.text).toBe(200);
  }
}

type Entity = { name: string; entity_name: string; entity_version?: string; workload_type?: string };

/**
 * Creates (or, with `update`, re-configures) an endpoint serving registry entities and waits for its deployment to
 * finish.
 */
export async function deployCustomModels(
  name: string,
  entities: Entity[],
  update = false,
): Promise<{
  state: { ready: string; config_update: string };
  endpoint: any;
  buildLog: (entity: string) => Promise<string>;
}> {
  const served_entities = entities.map((e) => ({ ...e, workload_size: "Small", scale_to_zero_enabled: true }));
  const res = update
    ? await call("PUT", `/api/2.0/serving-endpoints/${name}/config`, { body: { served_entities } })
    : await call("POST", "/api/2.0/serving-endpoints", { body: { name, config: { served_entities } } });
  expect(res.status, res.text).toBe(200);
  const endpoint = await waitUntilSettled(name);
  const buildLog = async (entity: string) =>
    (await call("GET", `/api/2.0/serving-endpoints/${name}/served-models/${entity}/build-logs`)).json.logs as string;
  return { state: endpoint.state, endpoint, buildLog };
}

/** Creates an endpoint serving registry entities and waits until it is READY. */
export async function serveCustomModels(name: string, entities: Entity[]): Promise<void> {
  const { state, buildLog } = await deployCustomModels(name, entities);
  expect(state, await buildLog(entities[0]!.name)).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
}

export async function inferenceCalls(): Promise<any[]> {
  return (await env.INFERENCE!.fetch("https://inference/_test/calls")).json();
}

export async function clearInferenceCalls(): Promise<void> {
  await env.INFERENCE!.fetch("https://inference/_test/calls", { method: "DELETE" });
}
