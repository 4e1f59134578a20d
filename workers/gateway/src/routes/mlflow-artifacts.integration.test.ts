import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, fetchWorker } from "../../test/client";
import { ARTIFACTS } from "../registry/testing";

const MPU = "/api/2.0/mlflow-artifacts/mpu";
const MiB = 1024 * 1024;

function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function sha256(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A raw PUT of bytes (call() only sends strings). */
async function putBytes(url: string, body: Uint8Array): Promise<Response> {
  return fetchWorker(url, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      "content-type": "application/octet-stream",
      "content-length": String(body.byteLength),
    },
    body,
  });
}

describe("artifact proxy", () => {
  it("puts, gets, lists and deletes files", async () => {
    const data = bytes(300_000, 1);
    expect((await putBytes(`${ARTIFACTS}/runs/r1/model/model.bin`, data)).status).toBe(200);
    expect(
      (await putBytes(`${ARTIFACTS}/runs/r1/model/MLmodel`, new TextEncoder().encode("flavors: {}\n"))).status,
    ).toBe(200);
    expect((await putBytes(`${ARTIFACTS}/runs/r1/model/sub/x.txt`, new TextEncoder().encode("x"))).status).toBe(200);

    const got = await fetchWorker(`${ARTIFACTS}/runs/r1/model/model.bin`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(got.status).toBe(200);
    expect(await sha256(await got.arrayBuffer())).toBe(await sha256(data));

    const list = await call("GET", `${ARTIFACTS}?path=runs/r1/model`);
    expect(list.status, list.text).toBe(200);
    expect(list.json.files).toEqual([
      { path: "MLmodel", is_dir: false, file_size: 12 },
      { path: "model.bin", is_dir: false, file_size: 300_000 },
      { path: "sub", is_dir: true },
    ]);

    expect((await call("DELETE", `${ARTIFACTS}/runs/r1/model`)).status).toBe(200);
    expect((await call("GET", `${ARTIFACTS}?path=runs/r1/model`)).json.files).toEqual([]);
    expect((await call("GET", `${ARTIFACTS}/runs/r1/model/MLmodel`)).status).toBe(404);
  });

  // (Plain `..` segments never arrive: URL parsing resolves them inside the route's prefix.)
  it.each(["a%2F..%2Fb", "..%2F..%2Fx", "a//b", "%zz", "a%00b"])(
    "refuses the path %s without writing",
    async (path) => {
      const before = await env.ARTIFACTS.list({ prefix: "mlflow-artifacts/" });
      const res = await call("PUT", `${ARTIFACTS}/${path}`, { body: "x" });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message).toContain("'path'");
      const after = await env.ARTIFACTS.list({ prefix: "mlflow-artifacts/" });
      expect(after.objects.map((o) => o.key)).toEqual(before.objects.map((o) => o.key));
    },
  );

  it("uploads in parts streamed into an R2 multipart upload", async () => {
    const partSize = 5 * MiB;
    const data = bytes(partSize * 2 + 1234, 7);
    const path = "models/mpu-test/1/weights.bin";
    const created = await call("POST", `${MPU}/create/${path}`, { body: { path, num_parts: 3 } });
    expect(created.status, created.text).toBe(200);
    expect(created.json.upload_id).toEqual(expect.any(String));
    expect(created.json.credentials.map((c: any) => c.part_number)).toEqual([1, 2, 3]);

    const parts = [];
    for (const credential of created.json.credentials) {
      const start = (credential.part_number - 1) * partSize;
      const res = await putBytes(credential.url, data.slice(start, start + partSize));
      expect(res.status, await res.clone().text()).toBe(200);
      const etag = res.headers.get("etag");
      expect(etag).toBeTruthy();
      parts.push({ part_number: credential.part_number, etag });
    }
    // Nothing is visible until complete.
    expect(await env.ARTIFACTS.head(`mlflow-artifacts/${path}`)).toBeNull();
    const done = await call("POST", `${MPU}/complete/${path}`, {
      body: { path, upload_id: created.json.upload_id, parts: parts.reverse() },
    });
    expect(done.status, done.text).toBe(200);

    const got = await fetchWorker(`${ARTIFACTS}/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(got.status).toBe(200);
    expect(Number(got.headers.get("content-length"))).toBe(data.byteLength);
    expect(await sha256(await got.arrayBuffer())).toBe(await sha256(data));
  });

  it("aborts an upload, and refuses bad multipart requests", async () => {
    const path = "models/mpu-abort/1/w.bin";
    const created = await call("POST", `${MPU}/create/${path}`, { body: { num_parts: 1 } });
    expect(created.status).toBe(200);
    expect(
      (await call("POST", `${MPU}/abort/${path}`, { body: { path, upload_id: created.json.upload_id } })).status,
    ).toBe(200);
    const afterAbort = await putBytes(created.json.credentials[0].url, bytes(10, 1));
    expect(afterAbort.status).toBe(404);

    for (const [url, body, status] of [
      [`${MPU}/create/${path}`, { num_parts: 0 }, 400],
      [`${MPU}/create/${path}`, { num_parts: "2" }, 400],
      [`${MPU}/create/${path}`, { path: "elsewhere/x", num_parts: 1 }, 400],
      [`${MPU}/create/${path}`, { num_parts: 1, extra: true }, 400],
      [`${MPU}/complete/${path}`, { upload_id: "nope", parts: [] }, 400],
      [`${MPU}/complete/${path}`, { upload_id: "nope", parts: [{ part_number: 1 }] }, 400],
      [`${MPU}/complete/${path}`, { upload_id: "nope", parts: [{ part_number: 1, etag: "x" }] }, 404],
    ] as const) {
      const res = await call("POST", url, { body });
      expect(res.status, `${url} ${JSON.stringify(body)} → ${res.text}`).toBe(status);
    }
    const missingQuery = await putBytes(`${MPU}/upload-part/${path}?part_number=1`, bytes(10, 1));
    expect(missingQuery.status).toBe(400);
    expect(await env.ARTIFACTS.head(`mlflow-artifacts/${path}`)).toBeNull();
  });
});
