import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createUserWithToken } from "../../test/principals";
import { createModel, createVersionWithFiles, MV, RM, uniqueModelName } from "../registry/testing";

async function countModels(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM registered_models").first<{ n: number }>();
  return row!.n;
}

describe("registered models", () => {
  it("creates a Unity-Catalog style model and returns MLflow's shape", async () => {
    const name = uniqueModelName();
    const before = Date.now();
    const res = await call("POST", `${RM}/create`, {
      body: { name, description: "iris classifier", tags: [{ key: "team", value: "ml" }] },
    });
    expect(res.status, res.text).toBe(200);
    const model = res.json.registered_model;
    expect(model).toMatchObject({
      name,
      description: "iris classifier",
      user_id: "admin",
      latest_versions: [],
      tags: [{ key: "team", value: "ml" }],
      aliases: [],
    });
    expect(model.creation_timestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(model.last_updated_timestamp).toBe(model.creation_timestamp);

    const got = await call("GET", `${RM}/get?name=${encodeURIComponent(name)}`);
    expect(got.status).toBe(200);
    expect(got.json.registered_model).toEqual(model);
  });

  it("refuses a duplicate name with 409 RESOURCE_ALREADY_EXISTS and changes nothing", async () => {
    const name = uniqueModelName();
    await createModel(name);
    const n = await countModels();
    const res = await call("POST", `${RM}/create`, { body: { name } });
    expect(res.status).toBe(409);
    expect(res.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    expect(await countModels()).toBe(n);
  });

  it.each([
    [{}, /Missing required field 'name'/],
    [{ name: "" }, /name/],
    [{ name: 7 }, /Invalid value for 'name'/],
    [{ name: "a/b" }, /name/],
    [{ name: "a..b" }, /name/],
    [{ name: "ok", colour: "red" }, /Unknown field 'colour'/],
    [{ name: "ok", tags: [{ key: "k", value: 1 }] }, /tags\[0\]\.value/],
    [{ name: "ok", tags: "x" }, /tags/],
  ])("refuses %j with 400 naming the field, creating nothing", async (body, message) => {
    const n = await countModels();
    const res = await call("POST", `${RM}/create`, { body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(res.json.message).toMatch(message);
    expect(await countModels()).toBe(n);
  });

  it("answers 404 RESOURCE_DOES_NOT_EXIST for an unknown model", async () => {
    const res = await call("GET", `${RM}/get?name=nope.nope.nope`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Registered Model with name=nope.nope.nope not found",
    });
  });

  it("searches by name with LIKE, orders and paginates", async () => {
    const prefix = `search${Math.random().toString(36).slice(2, 7)}.s.`;
    for (const suffix of ["c", "a", "b"]) await createModel(`${prefix}${suffix}`);
    const first = await call(
      "GET",
      `${RM}/search?filter=${encodeURIComponent(`name LIKE '${prefix}%'`)}&max_results=2&order_by=name+DESC`,
    );
    expect(first.status, first.text).toBe(200);
    expect(first.json.registered_models.map((m: any) => m.name)).toEqual([`${prefix}c`, `${prefix}b`]);
    expect(first.json.next_page_token).toEqual(expect.any(String));
    const second = await call(
      "GET",
      `${RM}/search?filter=${encodeURIComponent(`name LIKE '${prefix}%'`)}&max_results=2&order_by=name+DESC` +
        `&page_token=${encodeURIComponent(first.json.next_page_token)}`,
    );
    expect(second.json.registered_models.map((m: any) => m.name)).toEqual([`${prefix}a`]);
    expect(second.json.next_page_token).toBeUndefined();

    for (const bad of [
      "filter=owner%3D'x'",
      "max_results=0",
      "max_results=abc",
      "order_by=colour",
      "page_token=zzz",
      "colour=red",
    ]) {
      const res = await call("GET", `${RM}/search?${bad}`);
      expect(res.status, `${bad}: ${res.text}`).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("renames a model; versions and aliases follow, the old name is gone", async () => {
    const name = uniqueModelName();
    const newName = uniqueModelName("main.prod.renamed");
    await createModel(name);
    await createVersionWithFiles(name, 1);
    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } })).status).toBe(200);
    const res = await call("POST", `${RM}/rename`, { body: { name, new_name: newName } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.registered_model).toMatchObject({
      name: newName,
      aliases: [{ alias: "champion", version: "1" }],
      latest_versions: [{ name: newName, version: "1" }],
    });
    expect((await call("GET", `${RM}/get?name=${name}`)).status).toBe(404);

    const taken = uniqueModelName();
    await createModel(taken);
    const clash = await call("POST", `${RM}/rename`, { body: { name: newName, new_name: taken } });
    expect(clash.status).toBe(409);
    expect((await call("GET", `${RM}/get?name=${newName}`)).status).toBe(200);
  });

  it("updates the description", async () => {
    const name = uniqueModelName();
    await createModel(name);
    const res = await call("PATCH", `${RM}/update`, { body: { name, description: "new" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.registered_model.description).toBe("new");
  });

  it("deletes a model with its versions and aliases (name in the body or the query)", async () => {
    for (const how of ["body", "query"] as const) {
      const name = uniqueModelName();
      await createModel(name);
      await createVersionWithFiles(name, 1);
      await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: 1 } });
      const res =
        how === "body"
          ? await call("DELETE", `${RM}/delete`, { body: { name } })
          : await call("DELETE", `${RM}/delete?name=${name}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({});
      expect((await call("GET", `${RM}/get?name=${name}`)).status).toBe(404);
      expect((await call("GET", `${MV}/get?name=${name}&version=1`)).status).toBe(404);
      // The name is free again, and a new model starts at version 1.
      await createModel(name);
      expect((await createVersionWithFiles(name, 1)).version).toBe("1");
    }
    const orphans = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM model_versions WHERE model_id NOT IN (SELECT id FROM registered_models)",
    ).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });
});

describe("aliases", () => {
  it("sets, reads, moves and deletes an alias", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await createVersionWithFiles(name, 2);
    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } })).status).toBe(200);
    let got = await call("GET", `${RM}/alias?name=${name}&alias=champion`);
    expect(got.status, got.text).toBe(200);
    expect(got.json.model_version).toMatchObject({ name, version: "1", aliases: ["champion"], status: "READY" });

    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "2" } })).status).toBe(200);
    got = await call("GET", `${RM}/alias?name=${name}&alias=champion`);
    expect(got.json.model_version.version).toBe("2");
    const model = await call("GET", `${RM}/get?name=${name}`);
    expect(model.json.registered_model.aliases).toEqual([{ alias: "champion", version: "2" }]);
    expect(model.json.registered_model.latest_versions.map((v: any) => v.version)).toEqual(["2"]);

    expect((await call("DELETE", `${RM}/alias?name=${name}&alias=champion`)).status).toBe(200);
    const gone = await call("GET", `${RM}/alias?name=${name}&alias=champion`);
    expect(gone.status).toBe(404);
    expect(gone.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await call("DELETE", `${RM}/alias`, { body: { name, alias: "champion" } })).status).toBe(404);
  });

  it("refuses bad aliases and unknown versions without changing anything", async () => {
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    for (const [body, status] of [
      [{ name, alias: "latest", version: "1" }, 400],
      [{ name, alias: "v2", version: "1" }, 400],
      [{ name, alias: "a b", version: "1" }, 400],
      [{ name, alias: "ok", version: "one" }, 400],
      [{ name, alias: "ok", version: true }, 400],
      [{ name, alias: "ok" }, 400],
      [{ name, alias: "ok", version: "9" }, 404],
      [{ name: "missing.model.x", alias: "ok", version: "1" }, 404],
    ] as const) {
      const res = await call("POST", `${RM}/alias`, { body });
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(status);
    }
    const model = await call("GET", `${RM}/get?name=${name}`);
    expect(model.json.registered_model.aliases).toEqual([]);
  });
});

describe("registry permissions", () => {
  it("lets anyone read and create, but only the creator or an admin change a model", async () => {
    const owner = await createUserWithToken(`owner-${Math.random().toString(36).slice(2)}@example.com`);
    const other = await createUserWithToken(`other-${Math.random().toString(36).slice(2)}@example.com`);
    const name = uniqueModelName();
    await createModel(name, owner.token);
    await createVersionWithFiles(name, 1, owner.token);

    expect((await call("GET", `${RM}/get?name=${name}`, { token: other.token })).status).toBe(200);
    expect((await call("GET", `${MV}/get?name=${name}&version=1`, { token: other.token })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", `${RM}/rename`, { name, new_name: `${name}x` }],
      ["DELETE", `${RM}/delete`, { name }],
      ["POST", `${RM}/alias`, { name, alias: "champion", version: "1" }],
      ["POST", `${MV}/create`, { name, source: `mlflow-artifacts:/models/${name}/1` }],
      ["DELETE", `${MV}/delete`, { name, version: "1" }],
      ["PUT", `/api/2.0/mlflow-artifacts/artifacts/models/${name}/1/MLmodel`, "overwritten"],
    ] as const) {
      const res = await call(method, path, { body, token: other.token });
      expect(res.status, `${method} ${path} → ${res.text}`).toBe(403);
      expect(res.json.error_code).toBe("PERMISSION_DENIED");
    }
    const model = await call("GET", `${RM}/get?name=${name}`);
    expect(model.json.registered_model).toMatchObject({ name, aliases: [], latest_versions: [{ version: "1" }] });
    expect(await (await env.ARTIFACTS.get(`mlflow-artifacts/models/${name}/1/MLmodel`))!.text()).toContain("version 1");

    // The other user can create their own model; the admin can change the owner's.
    await createModel(uniqueModelName(), other.token);
    expect((await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } })).status).toBe(200);
    expect((await call("DELETE", `${RM}/delete`, { body: { name }, token: owner.token })).status).toBe(200);
  });

  it("requires authentication", async () => {
    const res = await call("GET", `${RM}/search`, { token: null });
    expect(res.status).toBe(401);
  });
});
