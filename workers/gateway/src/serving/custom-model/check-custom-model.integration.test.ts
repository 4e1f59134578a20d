import { env } from "cloudflare:workers";
import { openDatabase } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import { call } from "../../../test/client";
import { deployCustomModels, storeTestModel } from "../../../test/custom-models";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import { createModel, createVersionWithFiles, MV, RM, uniqueModelName } from "../../registry/testing";
import { checkCustomModel } from "./check-custom-model";

/** The deployment check of registry entities, through the serving-endpoints API and the queue consumer. */

let endpointCounter = 0;
async function deployEntity(entity: {
  entity_name: string;
  entity_version?: string;
}): Promise<{ settled: any; buildLog: string }> {
  endpointCounter += 1;
  const name = `registry-ep-${endpointCounter}-${Math.random().toString(36).slice(2, 7)}`;
  const { endpoint, buildLog } = await deployCustomModels(name, [{ name: "model", ...entity }]);
  return { settled: endpoint, buildLog: await buildLog("model") };
}

/**
 * Deploys `mlmodel` (and `files`) as a new model and expects the deployment to fail with `message`, logged and in
 * the entity's state.
 */
async function expectDeployFailure(
  mlmodel: string,
  files: Record<string, string> | undefined,
  message: string | RegExp,
): Promise<void> {
  const name = uniqueModelName();
  await storeTestModel(name, "1", mlmodel, files);
  const { settled, buildLog } = await deployEntity({ entity_name: name, entity_version: "1" });
  expect(settled.state, buildLog).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
  expect(settled.config).toBeUndefined();
  expect(settled.pending_config.served_entities[0].state).toEqual({
    deployment: "DEPLOYMENT_FAILED",
    deployment_state_message: expect.stringMatching(message),
  });
  const errorLines = buildLog.split("\n").filter((l) => l.includes(" ERROR "));
  expect(errorLines, buildLog).toHaveLength(1);
  expect(errorLines[0]).toMatch(message);
}

describe("deploying a registry model", () => {
  it("resolves a version number, an alias (@champion or champion) and latest", { timeout: 90_000 }, async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await createVersionWithFiles(name, 2);
    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } })).status).toBe(200);

    for (const [version, resolved] of [
      ["2", "2"],
      ["@champion", "1"],
      ["champion", "1"],
      [undefined, "2"],
    ] as const) {
      const { settled, buildLog } = await deployEntity({
        entity_name: name,
        ...(version ? { entity_version: version } : {}),
      });
      expect(settled.state, buildLog).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(buildLog).toContain(
        `Resolved to version ${resolved}; model files at mlflow-artifacts:/models/${name}/${resolved}.`,
      );
      expect(buildLog).toMatch(/Found MLmodel \(\d+ bytes\) with flavors \[onnx\]\./);
      expect(buildLog).toMatch(
        /Runs with the onnx flavor: 1 file\(s\), \d+ bytes, within the inference worker's memory budget of 1\.0 MiB\./,
      );
      // What was pinned is the deployment's record: GET echoes the entity as the caller gave it.
      expect(settled.config.served_entities[0]).not.toHaveProperty("pinned_model");
      expect(settled.config.served_entities[0].entity_version).toBe(version);
    }
  });

  it("fails the deployment, saying why, for unknown models, versions, aliases and missing MLmodel files", {
    timeout: 90_000,
  }, async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    const bare = await call("POST", `${MV}/create`, {
      body: { name, source: `mlflow-artifacts:/models/${name}/empty` },
    });
    expect(bare.status, bare.text).toBe(200);

    for (const [entity, message] of [
      [
        { entity_name: "missing.model.name", entity_version: "1" },
        /Registered Model with name=missing.model.name not found/,
      ],
      [
        { entity_name: name, entity_version: "9" },
        new RegExp(`Model Version \\(name=${name.replace(/\./g, "\\.")}, version=9\\) not found`),
      ],
      [{ entity_name: name, entity_version: "@nobody" }, /alias nobody not found/],
      [{ entity_name: name, entity_version: "2" }, /has no MLmodel file/],
    ] as const) {
      const { settled, buildLog } = await deployEntity(entity);
      expect(settled.state, buildLog).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
      expect(buildLog).toMatch(message);
      expect(buildLog).toMatch(/ERROR /);
    }
  });

  it("fails a model with no flavor the inference worker runs (the rule queries used to apply)", async () => {
    await expectDeployFailure(
      "flavors:\n  sklearn:\n    pickled_model: model.pkl\n  python_function: {}\n",
      { "model.pkl": "pickle" },
      /Model 'main\.default\.model\d+_\w+' version 1 has flavors \[sklearn, python_function\]; this gateway serves only onnx and transformers models\./,
    );
  });

  it("fails a transformers model whose task the worker does not run", async () => {
    await expectDeployFailure(
      "flavors:\n  transformers:\n    task: text-generation\n",
      { "model/config.json": "{}", "model/onnx/model.onnx": "onnx" },
      /cannot run with its transformers flavor: Task 'text-generation' is not served in-worker; supported: feature-extraction, text-classification, token-classification\./,
    );
  });

  it("fails an invalid MLmodel file", async () => {
    await expectDeployFailure(
      "flavors:\n  onnx: {}\nsignature:\n  inputs: 'oops'\n",
      undefined,
      /has an invalid MLmodel file: MLmodel has an invalid signature/,
    );
  });

  it("fails a model whose flavor's files are not in R2", async () => {
    await expectDeployFailure(
      "flavors:\n  onnx:\n    data: weights/model.onnx\n",
      { "model.onnx": "elsewhere" },
      /has no files for its onnx flavor in R2/,
    );
  });

  it("fails a model larger than the inference worker's memory budget, saying both sizes", async () => {
    // The stand-in worker answers GET /v1/limits with 1 MiB; this model's ONNX file is 1.5 MiB.
    await expectDeployFailure(
      "flavors:\n  onnx:\n    data: model.onnx\n",
      { "model.onnx": "x".repeat(1.5 * 1024 * 1024) },
      /needs 1\.5 MiB of model files \(onnx flavor\), more than the inference worker's memory budget of 1\.0 MiB \(EDGESERVE_INFERENCE_CACHE_MB\)/,
    );
  });

  it("sizes a transformers model by the files the worker reads: its dtype's weights, not every ONNX file", async () => {
    const name = uniqueModelName();
    const big = "x".repeat(700 * 1024);
    await storeTestModel(
      name,
      "1",
      "flavors:\n  transformers:\n    task: feature-extraction\n    edgeserve_dtype: q8\n",
      {
        "model/config.json": "{}",
        "model/onnx/model.onnx": big,
        "model/onnx/model_quantized.onnx": big,
      },
    );
    const { settled, buildLog } = await deployEntity({ entity_name: name, entity_version: "1" });
    expect(settled.state, buildLog).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    expect(buildLog).toContain(`Runs with the transformers flavor: 2 file(s), ${700 * 1024 + 2} bytes`);
  });

  it("fails without the INFERENCE binding", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    const lines: string[] = [];
    const entity: StoredServedEntity = {
      name: "m",
      entity_name: name,
      entity_version: "1",
      creator: "admin",
      creation_timestamp: 0,
      state: { deployment: "DEPLOYMENT_CREATING", deployment_state_message: "" },
    };
    const check = await checkCustomModel(
      openDatabase(env.DB),
      { ...env, INFERENCE: undefined },
      entity,
      (message, level = "INFO") => void lines.push(`${level} ${message}`),
    );
    const problem =
      `Model '${name}' version 1 cannot be served: the gateway has no INFERENCE service binding, the inference ` +
      "worker that runs registry models (wrangler.toml [[services]])." +
      " No model server is registered for workload type CPU that serves it; register one with " +
      "POST /api/2.0/edgeserve/model-servers (docs/model-servers.md).";
    expect(check).toEqual({ problem });
    expect(lines.at(-1)).toBe(`ERROR ${problem}`);
    // With the binding, the same entity goes live with its version pinned.
    const ready = await checkCustomModel(openDatabase(env.DB), env, entity, () => {});
    expect(ready).toMatchObject({
      ready: {
        pinned_model: {
          name,
          version: "1",
          ref: { key: `${name}/1`, flavor: "onnx", flavorConfig: { data: "model.onnx" } },
        },
      },
    });
  });
});
