import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call } from "./client";
import { waitUntilSettled } from "./endpoints";

/**
 * Stores an MLmodel file where this branch's placeholder resolveModelVersion looks
 * (`models/<name>/<version>/`). At merge: register the version with the registry helper's API instead.
 */
export async function storeTestModel(name: string, version: string, mlmodel: string): Promise<void> {
  await env.ARTIFACTS.put(`models/${name}/${version}/MLmodel`, mlmodel);
}

/**
 * Creates an endpoint serving registry entities and marks its config live. Until the registry lands,
 * the deployment consumer refuses registry entities, so the test promotes the pending config itself.
 */
export async function createCustomModelEndpoint(name: string, entities: { name: string; entity_name: string; entity_version: string }[]): Promise<void> {
  const served_entities = entities.map((e) => ({ ...e, workload_size: "Small", scale_to_zero_enabled: true }));
  const res = await call("POST", "/api/2.0/serving-endpoints", { body: { name, config: { served_entities } } });
  expect(res.status, res.text).toBe(200);
  await waitUntilSettled(name);
  const row = await env.DB.prepare("SELECT pending_config, config FROM endpoints WHERE name = ?").bind(name).first<{ pending_config: string | null; config: string | null }>();
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
