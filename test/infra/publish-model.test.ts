/**
 * infra/publish-model.mjs against the real local stack (wrangler dev, local R2 and D1): a model
 * directory with a 200+ MB file goes up in multipart, gets a version and an alias, and downloads back
 * byte for byte (SHA-256), and the deployment check finds its MLmodel.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e } from "../e2e/helpers";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const MiB = 1024 * 1024;

/** A 210 MiB file: sparse zeros with random blocks spread through it, so every part differs. */
function writeLargeFile(file: string): void {
  const size = 210 * MiB + 12_345;
  const fd = fs.openSync(file, "w");
  try {
    fs.ftruncateSync(fd, size);
    for (let offset = 0; offset < size; offset += 7 * MiB)
      fs.writeSync(fd, crypto.randomBytes(64 * 1024), 0, Math.min(64 * 1024, size - offset), offset);
    fs.writeSync(fd, crypto.randomBytes(1000), 0, 1000, size - 1000);
  } finally {
    fs.closeSync(fd);
  }
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

async function sha256OfResponse(res: Response): Promise<{ hash: string; size: number }> {
  const hash = crypto.createHash("sha256");
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { hash: hash.digest("hex"), size };
}

describe("infra/publish-model.mjs", () => {
  let dir: string;
  const name = `main.default.published_${crypto.randomBytes(3).toString("hex")}`;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-publish-"));
    fs.writeFileSync(path.join(dir, "MLmodel"), "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
    fs.mkdirSync(path.join(dir, "data"));
    fs.writeFileSync(path.join(dir, "data", "config.json"), JSON.stringify({ hidden: 384 }));
    writeLargeFile(path.join(dir, "data", "weights.bin"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("uploads a 200+ MB model in parts, registers a version with an alias, and it downloads back identical", {
    timeout: 600_000,
  }, async () => {
    const { url, adminToken } = e2e();
    const { stdout, stderr } = await run(
      process.execPath,
      [
        path.join(repoRoot, "infra/publish-model.mjs"),
        dir,
        "--name",
        name,
        "--alias",
        "champion",
        "--host",
        url,
        "--token",
        adminToken,
      ],
      {
        maxBuffer: 10 * MiB,
      },
    );
    expect(stdout.trim()).toBe("1");
    expect(stderr).toContain(`Created registered model ${name}.`);
    expect(stderr).toMatch(/data\/weights\.bin \(4 parts\)\s+100%\s+210\.0 MiB \/ 210\.0 MiB/);
    expect(stderr).toContain("Alias champion → version 1.");
    expect(stderr).not.toContain(adminToken);

    const auth = { authorization: `Bearer ${adminToken}` };
    const alias: any = await (
      await fetch(`${url}/api/2.0/mlflow/registered-models/alias?name=${name}&alias=champion`, { headers: auth })
    ).json();
    expect(alias.model_version).toMatchObject({ name, version: "1", status: "READY", aliases: ["champion"] });
    const source: string = alias.model_version.source;
    expect(source).toMatch(new RegExp(`^mlflow-artifacts:/models/${name.replace(/\./g, "\\.")}/uploads/`));

    const artifactDir = source.slice("mlflow-artifacts:/".length);
    const listing: any = await (
      await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${artifactDir}/data`)}`, {
        headers: auth,
      })
    ).json();
    expect(listing.files).toEqual([
      { path: "config.json", is_dir: false, file_size: fs.statSync(path.join(dir, "data", "config.json")).size },
      { path: "weights.bin", is_dir: false, file_size: fs.statSync(path.join(dir, "data", "weights.bin")).size },
    ]);

    const download = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${artifactDir}/data/weights.bin`, {
      headers: auth,
    });
    expect(download.status).toBe(200);
    const got = await sha256OfResponse(download);
    expect(got.size).toBe(fs.statSync(path.join(dir, "data", "weights.bin")).size);
    expect(got.hash).toBe(await sha256OfFile(path.join(dir, "data", "weights.bin")));

    // A second publish of the same model becomes version 2 and moves the alias.
    fs.rmSync(path.join(dir, "data", "weights.bin"));
    const second = await run(process.execPath, [
      path.join(repoRoot, "infra/publish-model.mjs"),
      dir,
      "--name",
      name,
      "--alias",
      "champion",
      "--host",
      url,
      "--token",
      adminToken,
    ]);
    expect(second.stdout.trim()).toBe("2");
    const moved: any = await (
      await fetch(`${url}/api/2.0/mlflow/registered-models/alias?name=${name}&alias=champion`, { headers: auth })
    ).json();
    expect(moved.model_version.version).toBe("2");
  });

  it("fails clearly on a directory without MLmodel and on a bad token, exiting 1", async () => {
    const { url, adminToken } = e2e();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-publish-empty-"));
    try {
      const noModel = await run(process.execPath, [
        path.join(repoRoot, "infra/publish-model.mjs"),
        empty,
        "--name",
        name,
        "--host",
        url,
        "--token",
        adminToken,
      ]).catch((e) => e);
      expect(noModel.code).toBe(1);
      expect(noModel.stderr).toContain("not an MLflow model directory");
      const badToken = await run(process.execPath, [
        path.join(repoRoot, "infra/publish-model.mjs"),
        dir,
        "--name",
        name,
        "--host",
        url,
        "--token",
        "dapi-wrong",
      ]).catch((e) => e);
      expect(badToken.code).toBe(1);
      expect(badToken.stderr).toMatch(/401 UNAUTHENTICATED/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("sends an upload again when the gateway answers 503 to it, and stops after --retries", {
    timeout: 120_000,
  }, async () => {
    // A proxy in front of the real gateway that answers the first PUT of every path with a 503.
    const { url, adminToken } = e2e();
    const refused = new Set<string>();
    const proxy = http.createServer((req, res) => {
      if (req.method === "PUT" && !refused.has(req.url!)) {
        refused.add(req.url!);
        req.resume();
        req.on("end", () =>
          res
            .writeHead(503, { "content-type": "application/json" })
            .end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "injected" })),
        );
        return;
      }
      const upstream = http.request(`${url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const model = path.join(repoRoot, "test/fixtures/models/sklearn-diabetes-ridge");
    try {
      const retried = `main.default.retried_${crypto.randomBytes(3).toString("hex")}`;
      const ok = await run(process.execPath, [
        path.join(repoRoot, "infra/publish-model.mjs"),
        model,
        "--name",
        retried,
        "--host",
        proxyUrl,
        "--token",
        adminToken,
      ]);
      expect(ok.stdout.trim()).toBe("1");
      expect(ok.stderr).toMatch(
        /upload of models\/\S+\/model\.onnx: 503 TEMPORARILY_UNAVAILABLE: injected; retrying \(1\/3\)/,
      );
      const files = fs.readdirSync(model);
      expect([...refused].filter((u) => u.includes(retried))).toHaveLength(files.length);
      const version: any = await (
        await fetch(`${url}/api/2.0/mlflow/model-versions/get?name=${retried}&version=1`, {
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).json();
      const onnx = await fetch(
        `${url}/api/2.0/mlflow-artifacts/artifacts/` +
          `${version.model_version.source.slice("mlflow-artifacts:/".length)}/model.onnx`,
        { headers: { authorization: `Bearer ${adminToken}` } },
      );
      expect(Buffer.from(await onnx.arrayBuffer()).equals(fs.readFileSync(path.join(model, "model.onnx")))).toBe(true);

      const given = `main.default.gave_up_${crypto.randomBytes(3).toString("hex")}`;
      const failed = await run(process.execPath, [
        path.join(repoRoot, "infra/publish-model.mjs"),
        model,
        "--name",
        given,
        "--host",
        proxyUrl,
        "--token",
        adminToken,
        "--retries",
        "0",
      ]).catch((e) => e);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/upload of \S+ failed: 503 TEMPORARILY_UNAVAILABLE: injected/);
      const versions: any = await (
        await fetch(`${url}/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${given}'`)}`, {
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).json();
      expect(versions.model_versions ?? []).toEqual([]);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
