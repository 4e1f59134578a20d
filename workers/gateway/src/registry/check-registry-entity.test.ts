import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { waitUntilSettled } from "../../test/endpoints";
import { createModel, createVersionWithFiles, MV, RM, uniqueModelName } from "./testing";

/** The deployment check of registry entities, through the serving-endpoints API and the queue consumer. */

let endpointCounter = 0;
async function deployEntity(entity: Record<string, unknown>): Promise<{ settled: any; buildLog: string }> {
  endpointCounter += 1;
  const name = `registry-ep-${endpointCounter}-${Math.random().toString(36).slice(2, 7)}`;
  const res = await call("POST", "/api/2.0/serving-endpoints", {
    body: { name, config: { served_entities: [{ name: "model", workload_size: "Small", scale_to_zero_enabled: true, ...entity }] } },
  });
  expect(res.status, res.text).toBe(200);
  const settled = await waitUntilSettled(name);
  const logs = await call("GET", `/api/2.0/serving-endpoints/${name}/served-models/model/build-logs`);
  expect(logs.status, logs.text).toBe(200);
  return { settled, buildLog: logs.json.logs };
}

describe("deploying a registry model", () => {
  it("resolves a version number, an alias (@champion or champion) and latest", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await createVersionWithFiles(name, 2);
    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } })).status).toBe(200);

    for (const [version, resolved] of [["2", "2"], ["@champion", "1"], ["champion", "1"], [undefined, "2"]] as const) {
      const { settled, buildLog } = await deployEntity({ entity_name: name, ...(version ? { entity_version: version } : {}) });
      expect(settled.state, buildLog).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(buildLog).toContain(`Resolved to version ${resolved}; model files at mlflow-artifacts:/models/${name}/${resolved}.`);
      expect(buildLog).toMatch(/Found MLmodel \(\d+ bytes\)/);
    }
  });

  it("fails the deployment, saying why, for unknown models, versions, aliases and missing MLmodel files", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    const bare = await call("POST", `${MV}/create`, { body: { name, source: `mlflow-artifacts:/models/${name}/empty` } });
    expect(bare.status, bare.text).toBe(200);

    for (const [entity, message] of [
      [{ entity_name: "missing.model.name", entity_version: "1" }, /Registered Model with name=missing.model.name not found/],
      [{ entity_name: name, entity_version: "9" }, new RegExp(`Model Version \\(name=${name.replace(/\./g, "\\.")}, version=9\\) not found`)],
      [{ entity_name: name, entity_version: "@nobody" }, /alias nobody not found/],
      [{ entity_name: name, entity_version: "2" }, /has no MLmodel file/],
    ] as const) {
      const { settled, buildLog } = await deployEntity(entity);
      expect(settled.state, buildLog).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
      expect(buildLog).toMatch(message);
      expect(buildLog).toMatch(/ERROR /);
    }
  });
});
