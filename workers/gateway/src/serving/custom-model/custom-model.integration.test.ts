import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call } from "../../../test/client";
import { invalidateEndpointCache } from "../../endpoints/cache";
import {
  clearInferenceCalls,
  deployCustomModels,
  inferenceCalls,
  serveCustomModels,
  storeTestModel,
} from "../../../test/custom-models";

/** The MLmodel's signature inputs: MLflow writes them as one JSON string. */
const SIGNATURE_INPUTS =
  '[{"type": "double", "name": "length", "required": true}, {"type": "long", "name": "count", "required": true}, ' +
  '{"type": "string", "name": "tag", "required": false}]';

// An iris classifier as `mlflow.onnx.log_model(..., signature=infer_signature(X), input_example=X[:2])` writes it.
const IRIS_MLMODEL = `artifact_path: model
flavors:
  onnx:
    data: model.onnx
    onnx_version: 1.16.0
  python_function:
    loader_module: mlflow.onnx
mlflow_version: 2.14.1
model_uuid: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
signature:
  inputs: '${SIGNATURE_INPUTS}'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
`;
const TENSOR_MLMODEL = `flavors:
  onnx:
    data: model.onnx
signature:
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'
`;

const Q = "/serving-endpoints/iris/invocations";
const ISSUE = "/serving-endpoints/iris/served-models/iris-1/invocations";

// Each endpoint is really deployed (queue consumer, registry, R2 listing): give it time on a busy machine.
beforeAll(async () => {
  await storeTestModel("main.ml.iris", "1", IRIS_MLMODEL);
  await storeTestModel("main.ml.vectors", "2", TENSOR_MLMODEL);
  await storeTestModel("failing-model", "1", "flavors:\n  onnx: {}\n");
  await storeTestModel("crashing-model", "1", "flavors:\n  transformers:\n    task: text-classification\n", {
    "model/config.json": "{}",
    "model/onnx/model.onnx": "onnx bytes",
  });
  await Promise.all([
    serveCustomModels("iris", [{ name: "iris-1", entity_name: "main.ml.iris", entity_version: "1" }]),
    serveCustomModels("vectors", [{ name: "v", entity_name: "main.ml.vectors", entity_version: "2" }]),
    serveCustomModels("failing", [{ name: "f", entity_name: "failing-model", entity_version: "1" }]),
    serveCustomModels("crashing", [{ name: "c", entity_name: "crashing-model", entity_version: "1" }]),
  ]);
}, 120_000);
beforeEach(clearInferenceCalls);

describe("custom model scoring: every input format", () => {
  it(
    "dataframe_split: validated, reordered, extras dropped, params defaulted, " + "sent to the inference worker",
    async () => {
      const res = await call("POST", Q, {
        body: {
          dataframe_split: {
            columns: ["count", "length", "junk"],
            data: [
              [1, 2.5, "x"],
              [2, 4, "y"],
            ],
          },
          client_request_id: "r-1",
        },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ predictions: [3.5, 6] });
      expect(res.headers.get("served-model-name")).toBe("iris-1");
      const [sent] = await inferenceCalls();
      expect(sent).toEqual({
        model: {
          key: "main.ml.iris/1",
          artifactPrefix: "mlflow-artifacts/models/main.ml.iris/v1/",
          flavor: "onnx",
          flavorConfig: { data: "model.onnx", onnx_version: "1.16.0" },
        },
        input: {
          kind: "dataframe",
          columns: ["length", "count"],
          rows: [
            [2.5, 1],
            [4, 2],
          ],
        },
        params: { threshold: 0.5 },
      });
    },
  );

  it(
    "refuses stream: true (MLflow's predict_stream) with a 400 " + "instead of answering JSON, running nothing",
    async () => {
      const res = await call("POST", Q, {
        body: { dataframe_split: { columns: ["length", "count"], data: [[1.5, 1]] }, stream: true },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json).toMatchObject({
        error_code: "INVALID_PARAMETER_VALUE",
        message:
          "Streaming is not supported for custom models on Edgeserve: their predictions come in one answer; " +
          "leave 'stream' out.",
      });
      expect(await inferenceCalls()).toEqual([]);
    },
  );

  it("dataframe_records with params", async () => {
    const res = await call("POST", ISSUE, {
      body: { dataframe_records: [{ length: 1.5, count: 1, tag: "a" }], params: { threshold: 0.9 } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ predictions: [2.5] });
    const [sent] = await inferenceCalls();
    expect(sent.input).toEqual({ kind: "dataframe", columns: ["length", "count", "tag"], rows: [[1.5, 1, "a"]] });
    expect(sent.params).toEqual({ threshold: 0.9 });
  });

  it("instances (rows of dictionaries) and inputs (columnar)", async () => {
    const a = await call("POST", Q, {
      body: {
        instances: [
          { length: 1, count: 2 },
          { length: 3, count: 4 },
        ],
      },
    });
    expect(a.status, a.text).toBe(200);
    expect(a.json).toEqual({ predictions: [3, 7] });
    const b = await call("POST", Q, { body: { inputs: { length: [1, 2], count: [10, 20] } } });
    expect(b.status, b.text).toBe(200);
    expect(b.json).toEqual({ predictions: [11, 22] });
  });

  it("a tensor model takes instances/inputs and checks the shape", async () => {
    const ok = await call("POST", "/serving-endpoints/vectors/invocations", {
      body: {
        inputs: [
          [1, 2, 3, 4],
          [0.5, 0.5, 0, 0],
        ],
      },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toEqual({ predictions: [10, 1] });
    const bad = await call("POST", "/serving-endpoints/vectors/invocations", { body: { instances: [[1, 2, 3]] } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe(
      "Failed to enforce schema of data with schema [Tensor('float32', (-1, 4))]. " +
        "Error: Shape of input (1, 3) does not match expected shape (-1, 4).",
    );
  });

  it("text/csv, with the signature's string column kept as text", async () => {
    const res = await call("POST", Q, {
      body: "length,count,tag\n1.5,2,007\n3,4,\n",
      headers: { "content-type": "text/csv; charset=utf-8" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ predictions: [3.5, 7] });
    const [sent] = await inferenceCalls();
    expect(sent.input).toEqual({
      kind: "dataframe",
      columns: ["length", "count", "tag"],
      rows: [
        [1.5, 2, "007"],
        [3, 4, null],
      ],
    });
  });
});

describe("custom model scoring: bad input gets MLflow's errors and reaches no model", () => {
  const cases: [string, { body: unknown; headers?: Record<string, string> }, number, string | RegExp][] = [
    [
      "wrong columns",
      { body: { dataframe_split: { columns: ["length", "cnt"], data: [[1, 2]] } } },
      400,
      "Error: Model is missing inputs ['count']. Note that there were extra inputs: ['cnt']",
    ],
    [
      "wrong type",
      { body: { dataframe_records: [{ length: "long", count: 1 }] } },
      400,
      "Incompatible input types for column length. Can not safely convert str to float64.",
    ],
    [
      "float in a long column",
      { body: { inputs: { length: [1], count: [1.5] } } },
      400,
      "Incompatible input types for column count. Can not safely convert float64 to int64.",
    ],
    [
      "two input keys",
      { body: { inputs: [1], instances: [1] } },
      400,
      /exactly one of the input fields .*Received dictionary with input fields: \['inputs', 'instances'\]/,
    ],
    ["no input key", { body: { data: [[1, 2]] } }, 400, "Received dictionary with input fields: ['data']"],
    ["non-JSON", { body: "{oops" }, 400, /^Invalid input\. Ensure that input is a valid JSON formatted string\./],
    ["a JSON list", { body: "[1]" }, 400, "Received a list."],
    [
      "bad params",
      { body: { inputs: { length: [1], count: [1] }, params: { threshold: "high" } } },
      400,
      "Failed to validate type and shape for 'threshold'",
    ],
    [
      "bad CSV",
      { body: "length,count\n1,2,3\n", headers: { "content-type": "text/csv" } },
      400,
      /^Failed to parse input as a Pandas DataFrame\./,
    ],
    [
      "wrong content type",
      { body: "length=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. " +
        "Got 'application/x-www-form-urlencoded'.",
    ],
    [
      "non-UTF-8 charset",
      { body: "{}", headers: { "content-type": "application/json; charset=latin-1" } },
      415,
      "The scoring server only supports UTF-8",
    ],
    [
      "unknown content type parameter",
      { body: "{}", headers: { "content-type": "application/json; format=pandas-split" } },
      415,
      "Unrecognized content type parameters: format.",
    ],
  ];
  it.each(cases)("%s", async (_, request, status, message) => {
    const res = await call("POST", Q, request);
    expect(res.status, res.text).toBe(status);
    expect(res.json.error_code).toBe("BAD_REQUEST");
    if (typeof message === "string") expect(res.json.message).toContain(message);
    else expect(res.json.message).toMatch(message);
    expect(await inferenceCalls()).toEqual([]);
  });
});

describe("custom model scoring: model and worker problems", () => {
  it("the worker's error body is passed through; a failure without one is 502", async () => {
    const failing = await call("POST", "/serving-endpoints/failing/invocations", { body: { inputs: [1] } });
    expect(failing.status).toBe(400);
    expect(failing.json).toMatchObject({
      error_code: "BAD_REQUEST",
      message: "Encountered an unexpected error while evaluating the model.",
    });
    const crashing = await call("POST", "/serving-endpoints/crashing/invocations", { body: { inputs: ["hello"] } });
    expect(crashing.status).toBe(502);
    expect(crashing.json).toMatchObject({ error_code: "BAD_GATEWAY" });
    expect(crashing.text).not.toContain("exploded");
  });
});

describe("the registry version is pinned when the config deploys", () => {
  const UNSIGNED = "flavors:\n  onnx:\n    data: model.onnx\n";
  async function servedVersion(endpoint: string): Promise<string> {
    await clearInferenceCalls();
    const res = await call("POST", `/serving-endpoints/${endpoint}/invocations`, { body: { inputs: [[1, 2]] } });
    expect(res.status, res.text).toBe(200);
    const [sent] = await inferenceCalls();
    return sent.model.key;
  }
  /** Versions 1 and 2 of `name`, alias `champion` on 1; answers a function that moves the alias. */
  async function twoVersionsWithChampion(name: string): Promise<(version: string) => Promise<{ status: number }>> {
    await storeTestModel(name, "1", UNSIGNED);
    await storeTestModel(name, "2", UNSIGNED);
    const alias = (version: string) =>
      call("POST", "/api/2.0/mlflow/registered-models/alias", { body: { name, alias: "champion", version } });
    expect((await alias("1")).status).toBe(200);
    return alias;
  }

  it(
    "an alias moved after the deployment changes nothing until the config is updated; " + "then the new version serves",
    async () => {
      const name = "main.ml.pinned";
      const alias = await twoVersionsWithChampion(name);
      const entities = [{ name: "p", entity_name: name, entity_version: "@champion" }];
      await serveCustomModels("pinned", entities);
      expect(await servedVersion("pinned")).toBe(`${name}/1`);

      expect((await alias("2")).status).toBe(200);
      expect(await servedVersion("pinned")).toBe(`${name}/1`);

      const update = await deployCustomModels("pinned", entities, true);
      expect(update.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(await update.buildLog("p")).toContain(
        `Resolved to version 2; model files at mlflow-artifacts:/models/${name}/v2.`,
      );
      expect(await servedVersion("pinned")).toBe(`${name}/2`);
    },
  );

  it(
    "a version deleted from the registry after the deployment keeps serving; " +
      "a config update then fails and the old config still serves",
    async () => {
      const name = "main.ml.deleted";
      await storeTestModel(name, "1", UNSIGNED);
      const entities = [{ name: "d", entity_name: name, entity_version: "1" }];
      await serveCustomModels("deleted", entities);
      expect((await call("DELETE", "/api/2.0/mlflow/registered-models/delete", { body: { name } })).status).toBe(200);
      // Queries read nothing of the registry: the deployment pinned what they need (its files stay in R2).
      expect(await servedVersion("deleted")).toBe(`${name}/1`);

      const update = await deployCustomModels("deleted", entities, true);
      expect(update.state).toEqual({ ready: "READY", config_update: "UPDATE_FAILED" });
      expect(update.endpoint.pending_config.served_entities[0].state).toEqual({
        deployment: "DEPLOYMENT_FAILED",
        deployment_state_message: `Cannot serve '${name}' version '1': Registered Model with name=${name} not found`,
      });
      expect(update.endpoint.config.served_entities[0].state.deployment).toBe("DEPLOYMENT_READY");
      expect(await servedVersion("deleted")).toBe(`${name}/1`);
    },
  );

  it(
    "a config stored before versions were pinned (no pinned_model) is pinned, " +
      "and the pin stored, by its first query",
    async () => {
      const name = "main.ml.legacy";
      const alias = await twoVersionsWithChampion(name);
      await serveCustomModels("legacy", [{ name: "l", entity_name: name, entity_version: "@champion" }]);
      expect((await alias("2")).status).toBe(200);
      // The state under test is what older deployments left in D1: an active config without the pin.
      const select = env.DB.prepare("SELECT config FROM endpoints WHERE name = 'legacy'");
      const row = await select.first<{ config: string }>();
      const config = JSON.parse(row!.config);
      expect(config.served_entities[0].pinned_model.ref.key).toBe(`${name}/1`);
      delete config.served_entities[0].pinned_model;
      await env.DB.prepare("UPDATE endpoints SET config = ? WHERE name = 'legacy'").bind(JSON.stringify(config)).run();
      invalidateEndpointCache("legacy");
      // Resolved now, so the alias's current version; then stored with the config, for every isolate.
      expect(await servedVersion("legacy")).toBe(`${name}/2`);
      const pinnedRow = await env.DB.prepare("SELECT config FROM endpoints WHERE name = 'legacy'").first<{
        config: string;
      }>();
      expect(JSON.parse(pinnedRow!.config).served_entities[0].pinned_model.ref.key).toBe(`${name}/2`);
      expect((await alias("1")).status).toBe(200);
      expect(await servedVersion("legacy")).toBe(`${name}/2`);
      // Also after this isolate reloads the endpoint.
      invalidateEndpointCache("legacy");
      expect(await servedVersion("legacy")).toBe(`${name}/2`);
    },
  );
});

describe("GET /api/2.0/serving-endpoints/{name}/openapi of a custom model", () => {
  it("shows the request and response schemas of the model's signature", async () => {
    const res = await call("GET", "/api/2.0/serving-endpoints/iris/openapi");
    expect(res.status, res.text).toBe(200);
    const { ScoringRequest, ScoringResponse } = res.json.components.schemas;
    expect(ScoringRequest.description).toContain(
      "['length': double (required), 'count': long (required), 'tag': string (optional)]",
    );
    const records = ScoringRequest.oneOf.find((alt: any) => alt.required[0] === "dataframe_records");
    expect(records.properties.dataframe_records.items.required).toEqual(["length", "count"]);
    expect(records.properties.params.properties.threshold).toEqual({ type: "number", default: 0.5 });
    expect(ScoringResponse.properties.predictions).toEqual({ type: "array", items: { type: "number" } });
  });
  it("falls back to the generic scoring protocol without a signature", async () => {
    const res = await call("GET", "/api/2.0/serving-endpoints/failing/openapi");
    expect(res.status).toBe(200);
    expect(res.json.components.schemas.ScoringRequest.oneOf).toHaveLength(4);
    expect(res.json.components.schemas.ScoringRequest.description).not.toContain("signature");
  });
});
