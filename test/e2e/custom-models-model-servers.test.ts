/**
 * Custom models on upstream model servers, end to end: a stock MLflow scikit-learn model (pickle only, no ONNX,
 * trained at test time with Debian's scikit-learn) is published with `infra/publish-model.mjs`, deployed, and
 * served by the Python test servers of test/model-servers/ (MLflow scoring protocol; Open Inference Protocol
 * v2) over the real pickle. Predictions must equal scikit-learn's own, computed in Python.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { WorkspaceClient } from "@databricks/sdk-experimental";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningModelServer,
  buildPickleOnlyModel,
  sklearnPredictions,
  startModelServer,
} from "../model-servers/run-model-server";
import { databricksAgent } from "../tls-front";
import { invoke, publishModel, toCsv } from "./custom-models-helpers";
import { api, e2e, ok, uniqueName, waitUntilReady, waitUntilSettled } from "./helpers";

const COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];

/** 12 rows like the diabetes data set's scaled features (|x| < 0.11), from a fixed seed. */
function rows(): number[][] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.round(((seed / 2 ** 31) * 0.22 - 0.11) * 1e6) / 1e6;
  };
  return Array.from({ length: 12 }, () => COLUMNS.map(next));
}

const ROWS = rows();
let modelDir: string;
let model: { name: string; version: string };
let expected: number[];
const servers: RunningModelServer[] = [];
const registered: string[] = [];
const endpoints: string[] = [];

beforeAll(async () => {
  modelDir = buildPickleOnlyModel();
  expected = sklearnPredictions(modelDir, COLUMNS, ROWS);
  model = await publishModel(modelDir, "pickle");
}, 240_000);

afterAll(async () => {
  for (const name of endpoints) await api("DELETE", `/api/2.0/serving-endpoints/${name}`);
  for (const name of registered) await api("DELETE", `/api/2.0/edgeserve/model-servers/${name}`);
  await Promise.all(servers.map((s) => s.stop()));
});

async function registerServer(body: Record<string, unknown>): Promise<string> {
  const name = uniqueName("ms");
  await ok(api("POST", "/api/2.0/edgeserve/model-servers", { body: { name, ...body } }));
  registered.push(name);
  return name;
}

async function deploy(entity: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const name = uniqueName("ms-ep");
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        ...extra,
        config: {
          served_entities: [
            {
              name: "model",
              entity_name: model.name,
              entity_version: model.version,
              workload_size: "Small",
              ...entity,
            },
          ],
        },
      },
    }),
  );
  endpoints.push(name);
  return name;
}

async function buildLog(endpoint: string): Promise<string> {
  const r = await ok(api("GET", `/api/2.0/serving-endpoints/${endpoint}/served-models/model/build-logs`));
  return r.logs as string;
}

/** Every MLflow scoring format, JSON and CSV, must answer scikit-learn's predictions exactly. */
async function expectSklearnPredictions(endpoint: string): Promise<void> {
  const records = ROWS.map((row) => Object.fromEntries(COLUMNS.map((c, i) => [c, row[i]])));
  const bodies = [
    { dataframe_split: { columns: COLUMNS, data: ROWS } },
    { dataframe_records: records },
    { instances: records },
    { inputs: Object.fromEntries(COLUMNS.map((c, i) => [c, ROWS.map((r) => r[i])])) },
  ];
  for (const body of bodies) {
    const r = await invoke(endpoint, body);
    expect(r.status, `${Object.keys(body)[0]}: ${r.text}`).toBe(200);
    expect(r.body.predictions, Object.keys(body)[0]).toEqual(expected);
  }
  const csv = await invoke(endpoint, toCsv(COLUMNS, ROWS), "text/csv");
  expect(csv.status, csv.text).toBe(200);
  expect(csv.body.predictions).toEqual(expected);
  // The MLflow signature is checked by the gateway, before any server is asked.
  const missing = await invoke(endpoint, { dataframe_split: { columns: COLUMNS.slice(1), data: [ROWS[0]!.slice(1)] } });
  expect(missing.status, missing.text).toBe(400);
  expect(missing.body.message).toMatch(/Model is missing inputs \['age'\]/);
}

describe("a pickled scikit-learn model on an MLflow scoring server", () => {
  let server: RunningModelServer;
  let endpoint: string;

  beforeAll(async () => {
    // The server demands a bearer token: the gateway sends the one the registration's secret reference names.
    const scope = uniqueName("ms-scope");
    await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
    await ok(api("POST", "/api/2.0/secrets/put", { body: { scope, key: "token", string_value: "s3cret-token" } }));
    server = await startModelServer("mlflow", ["--model-dir", modelDir, "--token", "s3cret-token"]);
    servers.push(server);
    const registration = await registerServer({
      protocol: "mlflow",
      base_url: server.url,
      bearer_token: `{{secrets/${scope}/token}}`,
      workload_types: ["CPU"],
      model: { name: model.name, version: model.version },
    });
    endpoint = await deploy({}, { ai_gateway: { usage_tracking_config: { enabled: true } } });
    await waitUntilReady(endpoint, 120_000);
    const log = await buildLog(endpoint);
    expect(log).toContain("has flavors [python_function, sklearn]; this gateway serves only onnx and transformers");
    expect(log).toContain(`GET /ping on model server '${registration}' (mlflow, ${server.url}): ready.`);
    expect(log).toContain(
      `Serving '${model.name}' version ${model.version} on model server '${registration}' (mlflow).`,
    );
  }, 240_000);

  it("answers every scoring format and CSV with scikit-learn's predictions", async () => {
    await expectSklearnPredictions(endpoint);
  });

  it("answers through the Databricks SDK", async () => {
    const { tlsUrl, ca, adminToken } = e2e();
    const w = new WorkspaceClient(
      { host: tlsUrl, token: adminToken, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 30 },
      { agent: databricksAgent(ca), product: "edgeserve-e2e", productVersion: "0.1.0" },
    );
    const answer = await w.servingEndpoints.query({
      name: endpoint,
      dataframe_split: { columns: COLUMNS, data: ROWS },
    });
    expect(answer.predictions).toEqual(expected);
  });

  it("records usage for forwarded queries (five formats and the SDK's query so far)", async () => {
    const deadline = Date.now() + 30_000;
    let count = 0;
    while (Date.now() < deadline && count < 6) {
      const r = await ok(api("GET", `/api/2.0/serving-endpoints/${endpoint}/usage`));
      count =
        (r.usage as { group: string; request_count: number }[]).find((g) => g.group === "model")?.request_count ?? 0;
      if (count < 6) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(count).toBe(6);
  });

  it(
    "answers 503 naming the server when it is down at " + "query time, and fails a deployment to it saying so",
    async () => {
      await server.stop();
      const r = await invoke(endpoint, { dataframe_split: { columns: COLUMNS, data: ROWS } });
      expect(r.status, r.text).toBe(503);
      expect(r.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
      expect(r.body.message).toMatch(/^Could not reach model server 'ms-/);

      const again = await deploy({});
      const settled = await waitUntilSettled(again, 120_000);
      expect(settled.state.config_update).toBe("UPDATE_FAILED");
      const log = await buildLog(again);
      expect(log).toMatch(/WARN Model server 'ms-[0-9a-f]+' is not ready: model server .* is not reachable/);
      expect(log).toMatch(/ERROR .*No model server for workload type CPU can serve it: 'ms-[0-9a-f]+': model server/);
      expect(settled.pending_config.served_entities[0].state.deployment).toBe("DEPLOYMENT_FAILED");
    },
  );
});

describe("a pickled scikit-learn model on an Open Inference Protocol v2 server", () => {
  let endpoint: string;
  let registration: string;

  beforeAll(async () => {
    // A multi-model server that has not loaded the model: the deployment loads it (repository extension).
    const server = await startModelServer("oip-v2", [
      "--model-dir",
      modelDir,
      "--model-name",
      model.name.replaceAll(".", "_"),
      "--model-version",
      model.version,
      "--lazy",
    ]);
    servers.push(server);
    registration = await registerServer({ protocol: "oip-v2", base_url: server.url, workload_types: ["GPU_SMALL"] });
    endpoint = await deploy({ workload_type: "GPU_SMALL" });
    await waitUntilReady(endpoint, 120_000);
  }, 240_000);

  it("logs the readiness checks, the load and the model's tensors", async () => {
    const log = await buildLog(endpoint);
    const modelPath = `/v2/models/${model.name.replaceAll(".", "_")}/versions/${model.version}`;
    expect(log).toContain("asks for workload type GPU_SMALL; the inference worker has no GPU.");
    expect(log).toContain(`GET /v2/health/ready on model server '${registration}'`);
    expect(log).toContain(`GET ${modelPath}/ready answered HTTP 400: loading it.`);
    expect(log).toContain("through the repository extension; it is ready.");
    expect(log).toContain("Model metadata: inputs input-0 FP64 [-1, 10]; outputs predict FP64 [-1].");
  });

  it("answers every scoring format and CSV with scikit-learn's predictions, through tensors", async () => {
    await expectSklearnPredictions(endpoint);
  });
});

describe("a model nothing can serve", () => {
  it("fails the deployment (UPDATE_FAILED, never READY) with a build log saying why", async () => {
    const endpoint = await deploy({ workload_type: "GPU_XLARGE_8" });
    const settled = await waitUntilSettled(endpoint, 120_000);
    expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    const log = await buildLog(endpoint);
    expect(log).toContain(
      "asks for workload type GPU_XLARGE_8; the inference worker has no " +
        "GPU. No model server is registered for workload type GPU_XLARGE_8 that " +
        "serves it; register one with POST /api/2.0/edgeserve/model-servers",
    );
    const r = await invoke(endpoint, { dataframe_split: { columns: COLUMNS, data: ROWS } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_STATE");
  });
});

/** A port nothing listens on now, for the worked example's server. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("docs/model-servers.md worked example", () => {
  it("runs as written: the pickled model answers through its MLflow scoring server, JSON and CSV", async () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/model-servers.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Worked example"));
    const start = section.indexOf("```sh\n") + 6;
    const script = section.slice(start, section.indexOf("\n```", start));
    // HOST, TOKEN and PORT come from the e2e stack instead of the local dev stack's files.
    const body = script.replace(/^export HOST=.*$/m, "");
    expect(body).toContain("infra/publish-model.mjs");
    const port = await freePort();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        "bash",
        ["-euo", "pipefail", "-c", `timeout 300 bash -c "$0"`, body],
        {
          cwd: path.resolve(import.meta.dirname, "../.."),
          env: {
            ...process.env,
            HOST: e2e().url,
            TOKEN: e2e().adminToken,
            PORT: String(port),
            PYTHONDONTWRITEBYTECODE: "1",
          },
          maxBuffer: 10 * 1024 * 1024,
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(out)),
      ),
    );
    expect(stdout).toContain(`GET /ping on model server 'diabetes-forest' (mlflow, http://127.0.0.1:${port}): ready.`);
    const answers = [...stdout.matchAll(/\{"predictions": ?\[[^\]]*\]\}/g)].map((m) => JSON.parse(m[0]).predictions);
    const row = script.match(/"data": \[(\[[^\]]+\])\]/)![1]!;
    const oracle = sklearnPredictions(modelDir, COLUMNS, [JSON.parse(row)]);
    expect(answers).toEqual([oracle, oracle]);
  }, 360_000);
});
