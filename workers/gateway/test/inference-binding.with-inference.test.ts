import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "./client";
import { deployCustomModels, storeTestModel } from "./custom-models";

// workers/inference/test/fixtures/onnx/linear/model.onnx (make-models.py): y = x · [1, 2, 3, 4] + 0.5.
const LINEAR_ONNX_BASE64 =
  "CAgSDmVkZ2VzZXJ2ZS10ZXN0Oq0BChkKCGZlYXR1cmVzCgF3EgJ4dyIGTWF0TXVsChgKAnh3CgFiEgpwcmVkaWN0aW9uIgNBZGQS" +
  "BmxpbmVhciobCAQIARABQgF3ShAAAIA/AAAAQAAAQEAAAIBAKg0IARABQgFiSgQAAAA/Wh8KCGZlYXR1cmVzEhMKEQgBEg0KBxIF" +
  "YmF0Y2gKAggEYiEKCnByZWRpY3Rpb24SEwoRCAESDQoHEgViYXRjaAoCCAFCBAoAEA0=";

const model = {
  key: "main.default.linear/1",
  artifactPrefix: "models/binding-linear/1/",
  flavor: "onnx",
  flavorConfig: { data: "model.onnx" },
};

function predict(body: unknown) {
  return env.INFERENCE!.fetch("https://inference/v1/predict", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("INFERENCE service binding", () => {
  it("reaches the inference worker, which reads the model the gateway's ARTIFACTS bucket holds", async () => {
    const bytes = Uint8Array.from(atob(LINEAR_ONNX_BASE64), (c) => c.charCodeAt(0));
    await env.ARTIFACTS.put("models/binding-linear/1/model.onnx", bytes);
    const response = await predict({
      model,
      input: {
        kind: "dataframe",
        columns: ["a", "b", "c", "d"],
        rows: [
          [1, 1, 1, 1],
          [0, 0, 0, 1],
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ predictions: [10.5, 4.5] });
  });

  it("predicts over RPC (INFERENCE.predict): the same answer as the HTTP route, typed arrays and all", async () => {
    const bytes = Uint8Array.from(atob(LINEAR_ONNX_BASE64), (c) => c.charCodeAt(0));
    await env.ARTIFACTS.put("models/binding-linear/1/model.onnx", bytes);
    const input = {
      kind: "tensor" as const,
      value: [
        [1, 1, 1, 1],
        [0, 0, 0, 1],
      ],
    };
    expect(await env.INFERENCE!.predict({ model: model as never, input })).toEqual({ predictions: [10.5, 4.5] });
    const http = await predict({ model, input });
    expect(await http.json()).toEqual({ predictions: [10.5, 4.5] });
  });

  it("answers errors over RPC as values with their Databricks code and status, never thrown", async () => {
    const gone = await env.INFERENCE!.predict({
      model: { ...model, key: "gone/1", artifactPrefix: "models/gone/1/" } as never,
      input: { kind: "tensor", value: [[1, 2, 3, 4]] },
    });
    expect(gone).toMatchObject({ error: { error_code: "RESOURCE_DOES_NOT_EXIST" }, status: 404 });
    // A caller other than the gateway cannot crash it with a malformed request: a 400 naming the field.
    const malformed = await env.INFERENCE!.predict({ model: { key: 7 }, input: {} } as never);
    expect(malformed).toEqual({
      error: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/^Invalid 'model\.key'/) },
      status: 400,
    });
  });

  it("answers a model missing from the bucket with a Databricks-style 404", async () => {
    const response = await predict({
      model: { ...model, key: "gone/1", artifactPrefix: "models/gone/1/" },
      input: { kind: "tensor", value: [[1, 2, 3, 4]] },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it(
    "a registry model deploys against the worker's own memory " +
      "budget (GET /v1/limits) and is served with its pinned version",
    async () => {
      const bytes = Uint8Array.from(atob(LINEAR_ONNX_BASE64), (c) => c.charCodeAt(0));
      await storeTestModel("main.default.linear", "1", "flavors:\n  onnx:\n    data: model.onnx\n", {});
      // The ONNX file is binary: upload it where the version's files are, as publish-model would.
      await env.ARTIFACTS.put("mlflow-artifacts/models/main.default.linear/v1/model.onnx", bytes);
      const { state, buildLog } = await deployCustomModels("linear", [
        { name: "linear", entity_name: "main.default.linear", entity_version: "1" },
      ]);
      const log = await buildLog("linear");
      expect(state, log).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(log).toContain(
        `Runs with the onnx flavor: 1 file(s), ${bytes.byteLength} ` +
          `bytes, within the inference worker's memory budget of 96.0 MiB.`,
      );
      const res = await call("POST", "/serving-endpoints/linear/invocations", { body: { inputs: [[1, 1, 1, 1]] } });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ predictions: [10.5] });
    },
  );
});
