/**
 * The trained fixture models (test/fixtures/models) end to end on the real stack: each is published with
 * `infra/publish-model.mjs` (a real process), served from an endpoint (entity_name + entity_version), and
 * queried in every MLflow input format; its predictions must equal the framework's own (expected.json) to 1e-5.
 */
import fs from "node:fs";
import path from "node:path";
import { WorkspaceClient } from "@databricks/sdk-experimental";
import { beforeAll, describe, expect, it } from "vitest";
import { databricksAgent } from "../tls-front";
import { expectClose, invoke, publishModel, serveModel, toCsv } from "./custom-models-helpers";
import { e2e } from "./helpers";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/models");

interface Expected {
  columns?: string[];
  inputs: number[][];
  predictions: unknown[];
}

function readExpected(dir: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(fixtures, dir, "expected.json"), "utf8"));
}

/**
 * Column names as the model sees them: the signature's for column models, `0`, `1`, … for the tensor model (pandas'
 * default).
 */
function columnsOf(e: Expected): string[] {
  return e.columns ?? e.inputs[0]!.map((_, i) => String(i));
}

function records(e: Expected): Record<string, number>[] {
  const columns = columnsOf(e);
  return e.inputs.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]!])));
}

const TOLERANCE = 1e-5;

const MODELS = [
  { dir: "sklearn-breast-cancer-forest", label: "forest", signature: "columns" },
  { dir: "sklearn-diabetes-ridge", label: "ridge", signature: "columns" },
  { dir: "xgboost-wine-softprob", label: "xgb", signature: "columns" },
  { dir: "torch-digits-mlp", label: "mlp", signature: "tensor" },
] as const;

describe.each(MODELS)("$dir published, served and queried end to end", ({ dir, label, signature }) => {
  const expected = readExpected(dir);
  let endpoint: string;

  beforeAll(async () => {
    const { name, version } = await publishModel(path.join(fixtures, dir), label);
    expect(version).toBe("1");
    endpoint = await serveModel(name, version, `cm-${label}`);
  }, 240_000);

  it("dataframe_split", async () => {
    const r = await invoke(endpoint, { dataframe_split: { columns: columnsOf(expected), data: expected.inputs } });
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, expected.predictions, TOLERANCE);
  });

  it("dataframe_records", async () => {
    const r = await invoke(endpoint, { dataframe_records: records(expected) });
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, expected.predictions, TOLERANCE);
  });

  it("instances", async () => {
    // Column signatures take rows as {column: value} records; a tensor signature takes the rows themselves.
    const instances = signature === "columns" ? records(expected) : expected.inputs;
    const r = await invoke(endpoint, { instances });
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, expected.predictions, TOLERANCE);
  });

  it("inputs", async () => {
    // Column signatures take columnar {column: [values]}; a tensor signature takes the 2-D tensor.
    const columns = columnsOf(expected);
    const inputs =
      signature === "columns"
        ? Object.fromEntries(columns.map((c, i) => [c, expected.inputs.map((row) => row[i])]))
        : expected.inputs;
    const r = await invoke(endpoint, { inputs });
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, expected.predictions, TOLERANCE);
  });

  it("text/csv", async () => {
    const r = await invoke(endpoint, toCsv(columnsOf(expected), expected.inputs), "text/csv");
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, expected.predictions, TOLERANCE);
  });

  it("one row gives that row's prediction", async () => {
    const r = await invoke(endpoint, { dataframe_split: { columns: columnsOf(expected), data: [expected.inputs[7]] } });
    expect(r.status, r.text).toBe(200);
    expectClose(r.body.predictions, [expected.predictions[7]], TOLERANCE);
  });
});

describe("bad input gets MLflow's errors end to end", () => {
  const forest = readExpected("sklearn-breast-cancer-forest");
  const mlp = readExpected("torch-digits-mlp");
  let forestEndpoint: string;
  let mlpEndpoint: string;

  beforeAll(async () => {
    const [f, m] = await Promise.all([
      publishModel(path.join(fixtures, "sklearn-breast-cancer-forest"), "forest_err"),
      publishModel(path.join(fixtures, "torch-digits-mlp"), "mlp_err"),
    ]);
    [forestEndpoint, mlpEndpoint] = await Promise.all([
      serveModel(f.name, f.version, "cm-err-forest"),
      serveModel(m.name, m.version, "cm-err-mlp"),
    ]);
  }, 240_000);

  function expectError(r: { status: number; text: string; body: any }, status: number, message: RegExp) {
    expect(r.status, r.text).toBe(status);
    expect(r.body?.error_code, r.text).toBeTypeOf("string");
    expect(r.body.message, r.text).toMatch(message);
  }

  it("a missing column is named, and the extra one too", async () => {
    const columns = [...forest.columns!];
    columns[0] = "radius";
    const r = await invoke(forestEndpoint, { dataframe_split: { columns, data: forest.inputs.slice(0, 2) } });
    expectError(
      r,
      400,
      /^Failed to enforce schema of data with schema \['mean radius': double \(required\).*Error: Model is missing inputs \['mean radius'\]\. Note that there were extra inputs: \['radius'\]/s,
    );
    expect(r.body.error_code).toBe("BAD_REQUEST");
  });

  it("text in a double column is refused", async () => {
    const rows = records(forest).slice(0, 2);
    rows[1]!["mean texture"] = "thick" as never;
    const r = await invoke(forestEndpoint, { dataframe_records: rows });
    expectError(
      r,
      400,
      /Incompatible input types for column mean texture\. Can not safely convert object to float64\./,
    );
  });

  it("two input keys", async () => {
    const r = await invoke(forestEndpoint, {
      inputs: records(forest).slice(0, 1),
      instances: records(forest).slice(0, 1),
    });
    expectError(
      r,
      400,
      /exactly one of the input fields .*Received dictionary with input fields: \['inputs', 'instances'\]/s,
    );
  });

  it("a body that is not JSON", async () => {
    const r = await invoke(forestEndpoint, '{"dataframe_split": {"columns": [', "application/json");
    expectError(r, 400, /^Invalid input\. Ensure that input is a valid JSON formatted string\./);
  });

  it("CSV without the signature's columns", async () => {
    const r = await invoke(forestEndpoint, "a,b\n1,2\n", "text/csv");
    expectError(r, 400, /Model is missing inputs \['mean radius'/);
  });

  it("a tensor of the wrong width", async () => {
    const r = await invoke(mlpEndpoint, { inputs: [mlp.inputs[0]!.slice(0, 3)] });
    expectError(r, 400, /Shape of input \(1, 3\) does not match expected shape \(-1, 64\)/);
  });

  it("an unsupported media type", async () => {
    const r = await invoke(forestEndpoint, "<rows/>", "application/xml");
    expectError(r, 415, /only supports the following content types/);
  });

  it("errors leave the endpoint serving correct predictions", async () => {
    const r = await invoke(forestEndpoint, { dataframe_records: records(forest).slice(0, 3) });
    expect(r.status, r.text).toBe(200);
    expect(r.body.predictions).toEqual(forest.predictions.slice(0, 3));
  });
});

describe("@databricks/sdk-experimental servingEndpoints.query on a custom model", () => {
  const ridge = readExpected("sklearn-diabetes-ridge");
  let endpoint: string;

  beforeAll(async () => {
    const { name, version } = await publishModel(path.join(fixtures, "sklearn-diabetes-ridge"), "ridge_sdk");
    endpoint = await serveModel(name, version, "cm-sdk-ridge");
  }, 240_000);

  it("query({name, dataframe_records}) returns the model's predictions", async () => {
    const { tlsUrl, ca, adminToken } = e2e();
    const w = new WorkspaceClient(
      { host: tlsUrl, token: adminToken, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 30 },
      { agent: databricksAgent(ca), product: "edgeserve-e2e", productVersion: "0.1.0" },
    );
    const answer = await w.servingEndpoints.query({ name: endpoint, dataframe_records: records(ridge) });
    expectClose(answer.predictions, ridge.predictions, TOLERANCE);

    const split = await w.servingEndpoints.query({
      name: endpoint,
      dataframe_split: { columns: ridge.columns, data: ridge.inputs },
    });
    expectClose(split.predictions, ridge.predictions, TOLERANCE);
  });
});

describe("docs/custom-models/registry.md walkthrough", () => {
  it("'Serving a trained model end to end' runs as written and answers the documented prediction", {
    timeout: 240_000,
  }, async () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/custom-models/registry.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Serving a trained model end to end"));
    const script = section.slice(section.indexOf("```sh\n") + 6, section.indexOf("\n```", section.indexOf("```sh\n")));
    // HOST and TOKEN come from the e2e stack instead of the local dev stack's files.
    const body = script.replace(/^export HOST=.*$/m, "");
    expect(body).toContain("publish-model.mjs");
    const { execFile } = await import("node:child_process");
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile(
        "bash",
        ["-euo", "pipefail", "-c", `timeout 200 bash -c "$0"`, body],
        {
          cwd: path.resolve(import.meta.dirname, "../.."),
          env: { ...process.env, HOST: e2e().url, TOKEN: e2e().adminToken },
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out })),
      ),
    );
    const documented = script.match(/^# (\{"predictions": .*?\})/m)![1]!;
    // curl prints bodies without a newline: the answer is the output from its last `{"predictions"` on.
    const answer = JSON.parse(stdout.slice(stdout.lastIndexOf('{"predictions"')));
    expectClose(answer.predictions, JSON.parse(documented).predictions, TOLERANCE);
    expectClose(answer.predictions, readExpected("sklearn-diabetes-ridge").predictions.slice(0, 1), TOLERANCE);
  });
});
