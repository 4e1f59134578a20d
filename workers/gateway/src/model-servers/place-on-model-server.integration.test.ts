import { afterEach, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import { deployCustomModels, storeTestModel } from "../../test/custom-models";
import { createModel, createVersionWithFiles, uniqueModelName } from "../registry/testing";
import { oipModelName } from "./place-on-model-server";

/**
 * Where a deployment puts a registry model (inference worker or a registered model server) and how queries
 * reach the server, through the API and the deployments queue. The OIP v2 server is a stand-in on global
 * fetch that checks each call as a server would; the e2e suite runs real Python servers over a real pickle.
 */

const MS = "/api/2.0/edgeserve/model-servers";
/** A stock MLflow sklearn model: no flavor the inference worker runs. */
const PICKLE_ONLY = [
  "flavors:",
  "  python_function:",
  "    loader_module: mlflow.sklearn",
  "    model_path: model.pkl",
  "  sklearn:",
  "    pickled_model: model.pkl",
  "signature:",
  `  inputs: '[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}]'`,
  "",
].join("\n");

interface StandIn {
  infers: { path: string; body: any; authorization: string | null }[];
  loads: string[];
}

/** An OIP v2 server at `base` holding `model` version `version` (unloaded until loaded); predicts each row's sum. */
function oipStandIn(
  base: string,
  model: string,
  version: string,
  options: { down?: boolean; misshapen?: boolean; echoToken?: boolean } = {},
): StandIn {
  const state: StandIn = { infers: [], loads: [] };
  let loaded = false;
  const prefix = `/v2/models/${model}/versions/${version}`;
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(base)) return original(input, init);
    if (options.down) throw new TypeError("Network connection lost.");
    const path = new URL(request.url).pathname;
    const json = (status: number, body: unknown) => Response.json(body, { status });
    if (request.method === "GET" && path === "/v2/health/ready") return json(200, { ready: true });
    if (request.method === "GET" && path === `${prefix}/ready`)
      return loaded ? json(200, { ready: true }) : json(400, { error: "not ready" });
    if (request.method === "POST" && path === `/v2/repository/models/${model}/load`) {
      state.loads.push(model);
      loaded = true;
      return json(200, {});
    }
    if (request.method === "GET" && path === prefix)
      return json(200, {
        name: model,
        inputs: [{ name: "input-0", datatype: "FP64", shape: [-1, 2] }],
        outputs: [{ name: "predict", datatype: "FP64", shape: [-1] }],
      });
    if (request.method === "POST" && path === `${prefix}/infer`) {
      const body = (await request.json()) as any;
      state.infers.push({ path, body, authorization: request.headers.get("authorization") });
      if (options.echoToken)
        return json(400, { error: `cannot parse input (${request.headers.get("authorization")})` });
      const [tensor] = body.inputs;
      if (body.inputs.length !== 1 || tensor.name !== "input-0" || tensor.datatype !== "FP64")
        return json(400, { error: "expected input-0 FP64" });
      if (tensor.shape[1] !== 2 || tensor.data.length !== tensor.shape[0] * 2) return json(400, { error: "bad shape" });
      const sums = Array.from({ length: tensor.shape[0] }, (_, r) => tensor.data[2 * r] + tensor.data[2 * r + 1]);
      return json(200, {
        model_name: model,
        outputs: [
          { name: "predict", shape: [sums.length + (options.misshapen ? 1 : 0)], datatype: "FP64", data: sums },
        ],
      });
    }
    return json(404, { error: `no route ${request.method} ${path}` });
  });
  return state;
}

async function register(name: string, body: Record<string, unknown>): Promise<void> {
  const res = await call("POST", MS, { body: { name, protocol: "oip-v2", ...body } });
  expect(res.status, res.text).toBe(200);
}

let counter = 0;
const endpointName = () => `ms-ep-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("placing registry models on model servers", () => {
  it(
    "sends a pickle-only model to the OIP server of its " + "workload type, loads it, and forwards queries as tensors",
    async () => {
      const model = uniqueModelName();
      await storeTestModel(model, "1", PICKLE_ONLY, { "model.pkl": "pickle bytes" });
      const base = "http://oip-cpu.test:8000";
      const server = oipStandIn(base, oipModelName(model), "1");
      await register("oip-cpu", { base_url: base, workload_types: ["CPU"] });

      const name = endpointName();
      const { state, buildLog } = await deployCustomModels(name, [
        { name: "m", entity_name: model, entity_version: "1" },
      ]);
      const log = await buildLog("m");
      expect(state, log).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(server.loads).toEqual([oipModelName(model)]);
      const lines = log.split("\n").map((l) => l.replace(/^\S+ /, ""));
      expect(lines).toEqual(
        expect.arrayContaining([
          `INFO Model '${model}' version 1 has flavors [python_function, sklearn]; this gateway serves ` +
            `only onnx and transformers models. Placing it on a model server for workload type CPU.`,
          `INFO GET /v2/health/ready on model server 'oip-cpu' (oip-v2, ${base}): ready.`,
          `INFO GET /v2/models/${oipModelName(model)}/versions/1/ready answered HTTP 400: loading it.`,
          `INFO Loaded model '${oipModelName(model)}' through the repository extension; it is ready.`,
          "INFO Model metadata: inputs input-0 FP64 [-1, 2]; outputs predict FP64 [-1].",
          `INFO Serving '${model}' version 1 on model server 'oip-cpu' (oip-v2).`,
          "INFO Served entity is ready.",
        ]),
      );

      const rows = [
        [0.5, 1],
        [2, -0.25],
      ];
      const split = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: { dataframe_split: { columns: ["b", "a"], data: rows.map(([a, b]) => [b, a]) } },
      });
      expect(split.status, split.text).toBe(200);
      expect(split.json).toEqual({ predictions: [1.5, 1.75] });
      // The signature's column order, whatever order the client sent; 1 and 2 stay FP64.
      expect(server.infers.at(-1)!.body).toEqual({
        inputs: [{ name: "input-0", shape: [2, 2], datatype: "FP64", data: [0.5, 1, 2, -0.25] }],
      });
      const csv = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: "a,b\n0.5,1\n2,-0.25\n",
        headers: { "content-type": "text/csv" },
      });
      expect(csv.json).toEqual({ predictions: [1.5, 1.75] });
      // The signature is checked here: the server never sees a request missing a column.
      const calls = server.infers.length;
      const missing = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: { dataframe_records: [{ a: 1 }] },
      });
      expect(missing.status).toBe(400);
      expect(missing.json.message).toMatch(/Model is missing inputs \['b'\]/);
      expect(server.infers.length).toBe(calls);

      // Deleting a server that live endpoints use would strand them.
      const del = await call("DELETE", `${MS}/oip-cpu`);
      expect(del.status).toBe(409);
      expect(del.json.message).toContain(`serves ${model}/1 for live endpoints`);
    },
  );

  it(
    "sends the token, never shows it, answers 503 when the " + "server is unreachable and 502 for an unreadable answer",
    async () => {
      const model = uniqueModelName();
      await storeTestModel(model, "1", PICKLE_ONLY, { "model.pkl": "pickle bytes" });
      const base = "http://oip-flaky.test";
      const scope = `ms-scope-${Math.random().toString(36).slice(2, 7)}`;
      expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope } })).status).toBe(200);
      const put = await call("POST", "/api/2.0/secrets/put", { body: { scope, key: "t", string_value: "tok-123456" } });
      expect(put.status).toBe(200);
      const server = oipStandIn(base, oipModelName(model), "1");
      await register("oip-flaky", {
        base_url: base,
        workload_types: ["CPU_MEDIUM"],
        bearer_token: `{{secrets/${scope}/t}}`,
      });
      const name = endpointName();
      const { state } = await deployCustomModels(name, [
        { name: "m", entity_name: model, entity_version: "1", workload_type: "CPU_MEDIUM" },
      ]);
      expect(state.ready).toBe("READY");
      const ok = await call("POST", `/serving-endpoints/${name}/invocations`, { body: { inputs: { a: [1], b: [2] } } });
      expect(ok.json).toEqual({ predictions: [3] });
      expect(server.infers.at(-1)!.authorization).toBe("Bearer tok-123456");
      vi.restoreAllMocks();
      // A server that echoes the token in an error: the caller gets its message without the token.
      oipStandIn(base, oipModelName(model), "1", { echoToken: true });
      const echoed = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: { inputs: { a: [1], b: [2] } },
      });
      expect(echoed.status).toBe(400);
      expect(echoed.json.message).toBe(
        "Model server 'oip-flaky' rejected the input: cannot parse input (Bearer [REDACTED])",
      );
      expect(echoed.text).not.toContain("tok-123456");
      vi.restoreAllMocks();
      oipStandIn(base, oipModelName(model), "1", { down: true });
      const down = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: { inputs: { a: [1], b: [2] } },
      });
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("1");
      expect(down.json.message).toBe("Could not reach model server 'oip-flaky': Network connection lost.");
      vi.restoreAllMocks();
      oipStandIn(base, oipModelName(model), "1", { misshapen: true });
      const bad = await call("POST", `/serving-endpoints/${name}/invocations`, {
        body: { inputs: { a: [1], b: [2] } },
      });
      expect(bad.status).toBe(502);
      expect(bad.json.message).toBe(
        "Model server 'oip-flaky' answered an infer response the gateway " +
          "cannot read: output 'predict' has 1 values for shape [2].",
      );
    },
  );

  it("logs payloads and usage of forwarded queries, as for in-worker ones", async () => {
    const model = uniqueModelName();
    await storeTestModel(model, "1", PICKLE_ONLY, { "model.pkl": "pickle bytes" });
    oipStandIn("http://oip-logged.test", oipModelName(model), "1");
    await register("oip-logged", { base_url: "http://oip-logged.test", workload_types: ["MULTIGPU_MEDIUM"] });
    const name = endpointName();
    const { state } = await deployCustomModels(name, [
      { name: "m", entity_name: model, entity_version: "1", workload_type: "MULTIGPU_MEDIUM" },
    ]);
    expect(state.ready).toBe("READY");
    const gateway = await call("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, {
      body: {
        inference_table_config: { catalog_name: "main", schema_name: "logs", enabled: true },
        usage_tracking_config: { enabled: true },
      },
    });
    expect(gateway.status, gateway.text).toBe(200);
    const since = Date.now() - 1000;
    const body = { dataframe_records: [{ a: 1, b: 2 }], client_request_id: "forwarded-1" };
    const answer = await call("POST", `/serving-endpoints/${name}/invocations`, { body });
    expect(answer.json).toEqual({ predictions: [3] });

    await vi.waitFor(
      async () => {
        const logs = await call("GET", `/api/2.0/serving-endpoints/${name}/payload-logs?start_time=${since}`);
        expect(logs.json.payload_logs).toHaveLength(1);
        expect(logs.json.payload_logs[0]).toMatchObject({
          client_request_id: "forwarded-1",
          status_code: 200,
          request: JSON.stringify(body),
          response: JSON.stringify({ predictions: [3] }),
        });
        const usage = await call("GET", `/api/2.0/serving-endpoints/${name}/usage`);
        expect(usage.json.usage).toMatchObject([{ group: "m", request_count: 1, error_count: 0 }]);
      },
      { timeout: 20_000, interval: 200 },
    );
  });

  it("keeps a model the inference worker runs in-worker, unless its workload type asks for a GPU", async () => {
    const model = uniqueModelName();
    await createModel(model);
    await createVersionWithFiles(model, 1);
    const base = "http://oip-gpu.test";
    const server = oipStandIn(base, oipModelName(model), "1");
    await register("oip-gpu", { base_url: base, workload_types: ["CPU_LARGE", "GPU_SMALL"] });

    const cpu = await deployCustomModels(endpointName(), [
      { name: "m", entity_name: model, entity_version: "1", workload_type: "CPU_LARGE" },
    ]);
    expect(cpu.state.ready).toBe("READY");
    expect(await cpu.buildLog("m")).toMatch(/Runs with the onnx flavor/);
    expect(server.loads).toEqual([]);

    const gpu = await deployCustomModels(endpointName(), [
      { name: "m", entity_name: model, entity_version: "1", workload_type: "GPU_SMALL" },
    ]);
    const log = await gpu.buildLog("m");
    expect(gpu.state.ready, log).toBe("READY");
    expect(log).toContain(
      `Model '${model}' version 1 asks for workload type GPU_SMALL; the inference ` +
        `worker has no GPU. Placing it on a model server for workload type GPU_SMALL.`,
    );
    expect(log).not.toMatch(/Runs with the onnx flavor/);
    expect(server.loads).toEqual([oipModelName(model)]);
  });

  it("refuses a model a full server has no room for, and fails when the server is down, saying so", async () => {
    const first = uniqueModelName();
    const second = uniqueModelName();
    await storeTestModel(first, "1", PICKLE_ONLY, { "model.pkl": "pickle bytes" });
    await storeTestModel(second, "1", PICKLE_ONLY, { "model.pkl": "pickle bytes" });
    oipStandIn("http://oip-small.test", oipModelName(first), "1");
    await register("oip-small", { base_url: "http://oip-small.test", workload_types: ["GPU_LARGE"], max_models: 1 });
    const gpu = (entity_name: string) => [{ name: "m", entity_name, entity_version: "1", workload_type: "GPU_LARGE" }];
    expect((await deployCustomModels(endpointName(), gpu(first))).state.ready).toBe("READY");
    // The same version again takes no more room.
    expect((await deployCustomModels(endpointName(), gpu(first))).state.ready).toBe("READY");

    const full = await deployCustomModels(endpointName(), gpu(second));
    expect(full.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    expect(await full.buildLog("m")).toContain(
      `ERROR Model '${second}' version 1 asks for workload type GPU_LARGE; ` +
        `the inference worker has no GPU. No model server for workload type ` +
        `GPU_LARGE can serve it: 'oip-small' is full (1 of max_models 1).`,
    );

    vi.restoreAllMocks();
    oipStandIn("http://oip-down.test", oipModelName(second), "1", { down: true });
    await register("oip-down", { base_url: "http://oip-down.test", workload_types: ["GPU_XLARGE"] });
    const down = await deployCustomModels(endpointName(), [
      { name: "m", entity_name: second, entity_version: "1", workload_type: "GPU_XLARGE" },
    ]);
    expect(down.state.config_update).toBe("UPDATE_FAILED");
    const log = await down.buildLog("m");
    expect(log).toContain(
      "WARN Model server 'oip-down' is not ready: model server 'oip-down' (oip-v2, http://oip-down.test) " +
        "is not reachable: Could not reach model server 'oip-down': Network connection lost.",
    );
    // Tried three times, a second apart, before giving up on it.
    expect(log.match(/WARN .*is not reachable: .* Trying again in 1 s\./g)).toHaveLength(2);
    expect(log).toMatch(/ERROR .*No model server for workload type GPU_XLARGE can serve it: 'oip-down': .*lost\.\n/);
  });
});
