/**
 * The `edgeserve` CLI's secrets, tokens and models commands as a child process against the real local stack:
 * a secret piped in on stdin, a token created and used, and a fixture MLflow model published whose files
 * download back byte for byte.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { edgeserve } from "./cli-helpers";
import { api, e2e, ok, uniqueName } from "./helpers";

const env = () => ({ DATABRICKS_HOST: e2e().url, DATABRICKS_TOKEN: e2e().adminToken });

describe("edgeserve secrets", () => {
  it("creates a scope, stores a secret from stdin, lists its key (never the value) and deletes it", async () => {
    const scope = uniqueName("cli-scope");
    expect((await edgeserve(["secrets", "create-scope", scope], { env: env() })).code).toBe(0);
    const value = "sk-from-stdin-0123456789";
    const put = await edgeserve(["secrets", "put-secret", scope, "api-key"], { env: env(), stdin: value });
    expect(put.code, put.stderr).toBe(0);

    const listed = await edgeserve(["secrets", "list-secrets", scope, "-o", "json"], { env: env() });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).secrets.map((s: { key: string }) => s.key)).toEqual(["api-key"]);
    expect(listed.stdout).not.toContain(value);

    expect((await edgeserve(["secrets", "delete-secret", scope, "api-key"], { env: env() })).code).toBe(0);
    const after = await ok(api("GET", `/api/2.0/secrets/list?scope=${scope}`));
    expect(after.secrets ?? []).toEqual([]);
  });

  it("refuses an empty stdin and two values as usage errors, storing nothing", async () => {
    const scope = uniqueName("cli-scope");
    await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
    const empty = await edgeserve(["secrets", "put-secret", scope, "k"], { env: env(), stdin: "" });
    expect(empty.code).toBe(2);
    const both = await edgeserve(
      ["secrets", "put-secret", scope, "k", "--string-value", "a", "--bytes-value", "Yg=="],
      {
        env: env(),
      },
    );
    expect(both.code).toBe(2);
    expect((await ok(api("GET", `/api/2.0/secrets/list?scope=${scope}`))).secrets ?? []).toEqual([]);
  });
});

describe("edgeserve tokens", () => {
  it("creates a token that works, lists it, and revokes it", async () => {
    const comment = uniqueName("cli-token");
    const created = await edgeserve(
      ["tokens", "create", "--comment", comment, "--lifetime-seconds", "600", "-o", "json"],
      {
        env: env(),
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const { token_value: token, token_info: info } = JSON.parse(created.stdout);
    expect(token).toMatch(/^dapi/);

    const listed = await edgeserve(["tokens", "list"], {
      env: { DATABRICKS_HOST: e2e().url, DATABRICKS_TOKEN: token },
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(comment);

    expect((await edgeserve(["tokens", "delete", info.token_id], { env: env() })).code).toBe(0);
    const revoked = await edgeserve(["tokens", "list"], {
      env: { DATABRICKS_HOST: e2e().url, DATABRICKS_TOKEN: token },
    });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("UNAUTHENTICATED");
  });
});

describe("edgeserve models publish", () => {
  it("publishes a fixture MLflow model as a version with an alias; its files download back unchanged", async () => {
    const dir = path.resolve(import.meta.dirname, "../fixtures/models/sklearn-diabetes-ridge");
    const name = `main.default.${uniqueName("cli_ridge").replace(/-/g, "_")}`;
    const run = await edgeserve(["models", "publish", dir, "--name", name, "--alias", "champion", "-o", "json"], {
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    const version = JSON.parse(run.stdout);
    expect(version).toMatchObject({ name, version: "1" });
    expect(run.stderr).toContain("Uploading 8 file(s)");
    expect(run.stderr).toContain("Alias champion → version 1.");

    const byAlias = await ok(api("GET", `/api/2.0/mlflow/registered-models/alias?name=${name}&alias=champion`));
    expect(byAlias.model_version.version).toBe("1");
    const artifactDir = String(version.source).replace(/^mlflow-artifacts:\//, "");
    for (const file of ["MLmodel", "model.onnx"]) {
      const res = await fetch(`${e2e().url}/api/2.0/mlflow-artifacts/artifacts/${artifactDir}/${file}`, {
        headers: { authorization: `Bearer ${e2e().adminToken}` },
      });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(dir, file)))).toBe(true);
    }
  });

  it("refuses a directory without an MLmodel file as a usage error (exit 2), before any upload", async () => {
    const run = await edgeserve(["models", "publish", "/tmp", "--name", "main.default.nothing"], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not an MLflow model directory");
  });
});
