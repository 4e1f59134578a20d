import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createModel, createVersionWithFiles, MV, RM, uniqueModelName } from "../registry/testing";

async function countVersions(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM model_versions").first<{ n: number }>())!.n;
}

describe("model versions", () => {
  it("creates numbered versions in MLflow's shape", async () => {
    const name = uniqueModelName();
    await createModel(name);
    const res = await call("POST", `${MV}/create`, {
      body: {
        name,
        source: `mlflow-artifacts:/models/${name}/1`,
        run_id: "run-1",
        tags: [{ key: "stage", value: "test" }],
        description: "first",
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.model_version).toMatchObject({
      name,
      version: "1",
      source: `mlflow-artifacts:/models/${name}/1`,
      run_id: "run-1",
      status: "READY",
      current_stage: "None",
      description: "first",
      user_id: "admin",
      tags: [{ key: "stage", value: "test" }],
      aliases: [],
    });
    expect(res.json.model_version.creation_timestamp).toEqual(expect.any(Number));
    const second = await createVersionWithFiles(name, 2);
    expect(second.version).toBe("2");

    const got = await call("GET", `${MV}/get?name=${name}&version=1`);
    expect(got.status).toBe(200);
    expect(got.json.model_version).toEqual(res.json.model_version);
    const uri = await call("GET", `${MV}/get-download-uri?name=${name}&version=2`);
    expect(uri.json).toEqual({ artifact_uri: `mlflow-artifacts:/models/${name}/2` });
  });

  it("never reuses a deleted version's number and drops its aliases", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await createVersionWithFiles(name, 2);
    await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "2" } });
    const del = await call("DELETE", `${MV}/delete`, { body: { name, version: "2" } });
    expect(del.status, del.text).toBe(200);
    expect((await call("GET", `${MV}/get?name=${name}&version=2`)).status).toBe(404);
    expect((await call("GET", `${RM}/alias?name=${name}&alias=champion`)).status).toBe(404);
    expect((await createVersionWithFiles(name, 3)).version).toBe("3");
    expect((await call("DELETE", `${MV}/delete?name=${name}&version=2`)).status).toBe(404);
  });

  it("accepts models:/ sources that point at another version's files", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } });
    const copy = uniqueModelName();
    await createModel(copy);
    const res = await call("POST", `${MV}/create`, { body: { name: copy, source: `models:/${name}@champion` } });
    expect(res.status, res.text).toBe(200);
    const uri = await call("GET", `${MV}/get-download-uri?name=${copy}&version=1`);
    expect(uri.json.artifact_uri).toBe(`mlflow-artifacts:/models/${name}/1`);
    const missing = await call("POST", `${MV}/create`, { body: { name: copy, source: `models:/${name}/7` } });
    expect(missing.status).toBe(404);
  });

  it.each([
    [{ source: "mlflow-artifacts:/x" }, 400, /Missing required field 'name'/],
    [{ name: "m.m.m" }, 400, /Missing required field 'source'/],
    [{ name: "m.m.m", source: 5 }, 400, /'source'/],
    [{ name: "m.m.m", source: "s3://bucket/model" }, 400, /'source'/],
    [{ name: "m.m.m", source: "mlflow-artifacts:/../../etc" }, 400, /'source'/],
    [{ name: "m.m.m", source: "mlflow-artifacts:/x", extra: 1 }, 400, /Unknown field 'extra'/],
    [{ name: "missing.model.zz", source: "mlflow-artifacts:/x" }, 404, /not found/],
  ])("refuses %j (%i) without creating a version", async (body, status, message) => {
    const n = await countVersions();
    const res = await call("POST", `${MV}/create`, { body });
    expect(res.status, res.text).toBe(status);
    expect(res.json.message).toMatch(message);
    expect(await countVersions()).toBe(n);
  });

  it("searches versions by name and run_id", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await call("POST", `${MV}/create`, {
      body: { name, source: `mlflow-artifacts:/models/${name}/2`, run_id: "r-42" },
    });
    const all = await call(
      "GET",
      `${MV}/search?filter=${encodeURIComponent(`name='${name}'`)}&order_by=version_number+ASC`,
    );
    expect(all.status, all.text).toBe(200);
    expect(all.json.model_versions.map((v: any) => v.version)).toEqual(["1", "2"]);
    const byRun = await call(
      "GET",
      `${MV}/search?filter=${encodeURIComponent(`name='${name}' AND run_id IN ('r-42','r-43')`)}`,
    );
    expect(byRun.json.model_versions.map((v: any) => v.version)).toEqual(["2"]);
    const bad = await call("GET", `${MV}/search?filter=${encodeURIComponent("tags.x='1'")}`);
    expect(bad.status).toBe(400);
  });

  it("refuses bad version numbers", async () => {
    const name = uniqueModelName();
    await createModel(name);
    for (const q of ["version=0", "version=-1", "version=abc", "version=1.5", "", "version=1&colour=red"]) {
      const res = await call("GET", `${MV}/get?name=${name}&${q}`);
      expect(res.status, `${q}: ${res.text}`).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });
});
