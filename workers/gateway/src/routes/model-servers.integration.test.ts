import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createUserWithToken } from "../../test/principals";

/** The model-servers admin API (/api/2.0/edgeserve/model-servers): registration, validation, admin only. */

const MS = "/api/2.0/edgeserve/model-servers";
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

const oip = (name: string) => ({
  name,
  protocol: "oip-v2",
  base_url: "https://triton.models.internal:8000/",
  workload_types: ["GPU_SMALL", "GPU_MEDIUM"],
  max_models: 4,
});

describe("model servers API", () => {
  it("registers, lists, gets and deletes a server; the token stays a secret reference", async () => {
    const scope = unique("ms-scope");
    expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope } })).status).toBe(200);
    const name = unique("triton");
    const created = await call("POST", MS, { body: { ...oip(name), bearer_token: `{{secrets/${scope}/token}}` } });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toEqual({
      name,
      protocol: "oip-v2",
      base_url: "https://triton.models.internal:8000",
      bearer_token: `{{secrets/${scope}/token}}`,
      workload_types: ["GPU_SMALL", "GPU_MEDIUM"],
      max_models: 4,
      creator: "admin",
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: expect.any(Number),
    });
    expect((await call("GET", `${MS}/${name}`)).json).toEqual(created.json);
    const list = await call("GET", MS);
    expect(list.json.model_servers).toContainEqual(created.json);

    const mlflow = unique("sklearn");
    const single = await call("POST", MS, {
      body: {
        name: mlflow,
        protocol: "mlflow",
        base_url: "http://10.0.0.5:5000",
        workload_types: ["CPU"],
        model: { name: "main.default.forest", version: "3" },
      },
    });
    expect(single.status, single.text).toBe(200);
    // An MLflow scoring server holds one model: its capacity is 1.
    expect(single.json).toMatchObject({ model: { name: "main.default.forest", version: "3" }, max_models: 1 });

    expect((await call("POST", MS, { body: oip(name) })).status).toBe(409);
    expect(await call("DELETE", `${MS}/${name}`)).toMatchObject({ status: 200, json: {} });
    expect((await call("GET", `${MS}/${name}`)).json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await call("DELETE", `${MS}/${name}`)).status).toBe(404);
  });

  it.each([
    [
      "an mlflow server without its model",
      { protocol: "mlflow", model: undefined },
      /'model': is required for an mlflow/,
    ],
    ["an oip-v2 server with a model", { model: { name: "m", version: "1" } }, /'model': is for mlflow servers/],
    ["an unknown protocol", { protocol: "grpc" }, /protocol/],
    ["a URL that is not http(s)", { base_url: "ftp://x" }, /'base_url': must be an http\(s\) URL/],
    ["no workload types", { workload_types: [] }, /'workload_types': must list at least one/],
    ["an unknown workload type", { workload_types: ["TPU"] }, /workload_types/],
    ["a plaintext token", { bearer_token: "dapi123" }, /'bearer_token': must be a secret reference/],
    ["an unknown field", { region: "eu" }, /region/],
  ])("refuses %s with a 400 naming the field, and stores nothing", async (_, change, message) => {
    const name = unique("bad");
    const res = await call("POST", MS, { body: { ...oip(name), ...change } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(res.json.message).toMatch(message);
    expect((await call("GET", `${MS}/${name}`)).status).toBe(404);
  });

  it("refuses a token in a scope that does not exist", async () => {
    const res = await call("POST", MS, { body: { ...oip(unique("x")), bearer_token: "{{secrets/no-such-scope/k}}" } });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("secret scope 'no-such-scope' does not exist or cannot be read");
  });

  it("is for admins only: 403 for a user on every route, 401 without a token", async () => {
    const { token } = await createUserWithToken(`${unique("u")}@example.com`);
    for (const [method, path] of [
      ["GET", MS],
      ["POST", MS],
      ["GET", `${MS}/x`],
      ["DELETE", `${MS}/x`],
    ] as const) {
      const res = await call(method, path, { token, ...(method === "POST" && { body: oip(unique("u")) }) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.message).toBe("Only workspace admins can manage model servers.");
      expect((await call(method, path, { token: null })).status).toBe(401);
    }
  });
});
