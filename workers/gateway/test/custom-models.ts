import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call } from "./client";
import { waitUntilSettled } from "./endpoints";

/**
 * Registers `name` in the model registry (if new) and adds versions until `version` exists, the last
 * one holding `mlmodel` as its MLmodel file (uploaded through the artifact proxy).
 */
export async function storeTestModel(name: string, version: string, mlmodel: string): Promise<void> {
  const created = await call("POST", "/api/2.0/mlflow/registered-models/create", { body: { name } });
  expect([200, 409], created.text).toContain(created.status);
  for (;;) {
    const latest = await call("GET", `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(name)}`);
    const versions = (latest.json.registered_model.latest_versions ?? []).map((v: { version: string }) => Number(v.version));
    const next = Math.max(0, ...versions) + 1;
    if (next > Number(version)) return;
    const dir = `models/${name}/v${next}`;
    const put = await call("PUT", `/api/2.0/mlflow-artifacts/artifacts/${dir}/MLmodel`, { body: next === Number(version) ? mlmodel : "flavors:\n  python_function: {}\n", headers: { "content-type": "application/octet-stream" } });
    expect(put.status, put.text).toBe(200);
    const mv = await call("POST", "/api/2.0/mlflow/model-versions/create", { body: { name, source: `mlflow-artifacts:/${dir}` } });
    expect(mv.status, mv.text).toBe(200);
  }
}

/**
 * Creates an endpoint serving registry entities and waits for its deployment. Entities that cannot
 * deploy (a missing model, tested on purpose) have their config forced live, so the query path's own
 * errors can be tested too.
 */
export async function createCustomModelEndpoint(name: string, entities: { name: string; entity_name: string; entity_version: string }[]): Promise<void> {
  const served_entities = entities.map((e) => ({ ...e, workload_size: "Small", scale_to_zero_enabled: true }));
  const res = await call("POST", "/api/2.0/serving-endpoints", { body: { name, config: { served_entities } } });
  expect(res.status, res.text).toBe(200);
  await waitUntilSettled(name);
  const row = await env.DB.prepare("SELECT pending_config, config, ready FROM endpoints WHERE name = ?").bind(name).first<{ pending_config: string | null; config: string | null; ready: string }>();
  if (row?.ready === "READY" && row.config) return;
  const config = JSON.parse((row?.config ?? row?.pending_config)!);
  for (const e of config.served_entities) e.state = { deployment: "DEPLOYMENT_READY", deployment_state_message: "" };
  await env.DB.prepare("UPDATE endpoints SET config = ?, pending_config = NULL, config_update = 'NOT_UPDATING', ready = 'READY', endpoint_type = 'CUSTOM_MODEL' WHERE name = ?")
    .bind(JSON.stringify(config), name)
    .run();
}

export async function inferenceCalls(): Promise<any[]> {
  return (await env.INFERENCE!.fetch("https://inference/_test/calls")).json();
}

export async function clearInferenceCalls(): Promise<void> {
  await env.INFERENCE!.fetch("https://inference/_test/calls", { method: "DELETE" });
}
