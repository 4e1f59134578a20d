/**
 * Publishes an MLflow model directory to Edgeserve's model registry; used by `edgeserve models publish` and
 * by `infra/publish-model.mjs` (`pnpm publish-model`), which share this code.
 *
 * Creates the registered model if needed, uploads every file through the MLflow artifact proxy
 * (files over the threshold in parts through the multipart API, since a Worker request body is capped
 * at 100 MB), then creates the version and sets the alias. The version only exists once every file is
 * in, so a half-finished upload is never served. Progress goes to stderr.
 *
 * The registry and multipart calls go through the typed SDK (@edgeserve/sdk). The file and part uploads (PUT)
 * stay on node:http: they stream files of hundreds of MB from disk with a Content-Length (R2 needs the length up
 * front) and byte-level progress, which fetch (and so the SDK) cannot give: a streamed fetch body is sent chunked,
 * and fetch reports no upload progress.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { ApiError, createEdgeserveClient, type EdgeserveClient, unwrap } from "@edgeserve/sdk";

export interface PublishOptions {
  dir: string;
  name: string;
  alias?: string;
  description?: string;
  host: string;
  token: string;
  partSize: number;
  threshold: number;
  retries: number;
  retryDelayMs: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: { etag?: string; error_code?: string; message?: string } | undefined;
  text: string;
}

type FileBody = { file: { path: string; start: number; end: number }; onBytes?: (sent: number) => void };

const MiB = 1024 * 1024;

/** Upload defaults, shared by both front ends. */
export const PUBLISH_DEFAULTS = { partSizeMib: 64, multipartThresholdMib: 64, retries: 3 };

/**
 * Checks the numeric options and turns them into bytes; returns an error message for a bad one.
 * R2: every part but the last at least 5 MiB; Workers: a request body below 100 MB.
 */
export function uploadLimits({
  partSizeMib,
  multipartThresholdMib,
  retries,
}: {
  partSizeMib: string | number;
  multipartThresholdMib: string | number;
  retries: string | number;
}): { error: string } | { error?: undefined; partSize: number; threshold: number; retries: number } {
  const partSize = Number(partSizeMib) * MiB;
  const threshold = Number(multipartThresholdMib) * MiB;
  if (!Number.isFinite(partSize) || partSize < 5 * MiB || partSize >= 95 * MiB)
    return { error: "--part-size-mib must be between 5 and 94." };
  if (!Number.isFinite(threshold) || threshold < 0 || threshold >= 95 * MiB)
    return { error: "--multipart-threshold-mib must be below 95." };
  const count = Number(retries);
  if (!Number.isInteger(count) || count < 0 || count > 10)
    return { error: "--retries must be an integer from 0 to 10." };
  return { partSize, threshold, retries: count };
}

/** Every file under `dir`, as paths relative to it with "/" separators. */
function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

const encodePath = (p: string) => p.split("/").map(encodeURIComponent).join("/");

function formatBytes(n: number) {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/** A progress line per file on stderr: redrawn in place on a terminal, every 10% otherwise. */
function progress(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done: number) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const line = `${label}  ${String(percent).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`;
    if (tty) process.stderr.write(`\r${line}${done >= total ? "\n" : ""}`);
    else if (Math.floor(percent / 10) > lastTenth) {
      lastTenth = Math.floor(percent / 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

/** One upload: `file` (a byte range) streamed from disk, so hundreds of MB never sit in memory. */
function putFile(options: PublishOptions, url: string, { file, onBytes }: FileBody): Promise<Answer> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const length = file.end - file.start;
  const headers = {
    authorization: `Bearer ${options.token}`,
    "content-type": "application/octet-stream",
    "content-length": String(length),
  };
  return new Promise((resolve, reject) => {
    const req = transport.request(target, { method: "PUT", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Answer["json"];
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (length === 0) return req.end();
    let sent = 0;
    const stream = fs.createReadStream(file.path, { start: file.start, end: file.end - 1 });
    stream.on("data", (chunk) => {
      sent += chunk.length;
      onBytes?.(sent);
    });
    stream.on("error", (e) => req.destroy(e));
    stream.pipe(req);
  });
}

function explain(res: Answer): string {
  return res.json?.message
    ? `${res.status} ${res.json.error_code}: ${res.json.message}`
    : `${res.status} ${res.text.slice(0, 200)}`;
}

function expectOk(res: Answer, what: string): Answer["json"] {
  if (res.status !== 200) throw new Error(`${what} failed: ${explain(res)}`);
  return res.json;
}

/** An SDK call's body; a refusal becomes an Error saying which step failed and the answer. */
async function step<T>(what: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ApiError) throw new Error(`${what} failed: ${e.status} ${e.error_code}: ${e.message}`);
    throw e;
  }
}

/** The artifact path in a route's URL: each segment encoded, the slashes kept (the routes take a path). */
function artifactPathParams(artifactPath: string) {
  return {
    params: { path: { artifact_path: artifactPath } },
    pathSerializer: (pathname: string) => pathname.replace("{artifact_path}", encodePath(artifactPath)),
  };
}

/** Statuses after which sending the same upload again is worth it: the gateway or its host was briefly unavailable. */
const TRANSIENT = new Set([502, 503, 504]);

/**
 * Sends an upload (a PUT of a file or a part, which overwrites the same key: safe to repeat) and sends it
 * again, up to `options.retries` times with a growing pause, when it fails transiently (a 502/503/504 or a
 * dropped connection). Anything else is answered at once.
 */
async function uploadWithRetries(options: PublishOptions, url: string, body: FileBody, what: string): Promise<Answer> {
  const { retries = 3, retryDelayMs = 1000 } = options;
  for (let attempt = 0; ; attempt++) {
    const res: Answer | { error: Error } = await putFile(options, url, body).catch((error: Error) => ({ error }));
    const transient = "error" in res || TRANSIENT.has(res.status);
    if (!transient || attempt >= retries) {
      if ("error" in res) throw res.error;
      return res;
    }
    process.stderr.write(
      `\n  ${what}: ${"error" in res ? res.error.message : explain(res)}; retrying (${attempt + 1}/${retries}).\n`,
    );
    await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
  }
}

type Show = (done: number) => void;

async function uploadSmall(options: PublishOptions, artifactPath: string, file: string, size: number, show: Show) {
  const url = `${options.host}/api/2.0/mlflow-artifacts/artifacts/${encodePath(artifactPath)}`;
  const res = await uploadWithRetries(
    options,
    url,
    { file: { path: file, start: 0, end: size }, onBytes: show },
    `upload of ${artifactPath}`,
  );
  expectOk(res, `upload of ${artifactPath}`);
  show(size);
}

async function uploadMultipart(
  client: EdgeserveClient,
  options: PublishOptions,
  artifactPath: string,
  file: string,
  size: number,
  show: Show,
) {
  const numParts = Math.ceil(size / options.partSize);
  const created = await step(
    `starting the multipart upload of ${artifactPath}`,
    unwrap(
      client.POST("/api/2.0/mlflow-artifacts/mpu/create/{artifact_path}", {
        ...artifactPathParams(artifactPath),
        body: { path: artifactPath, num_parts: numParts },
      }),
    ),
  );
  try {
    const parts: { part_number: number; etag: string }[] = [];
    for (const credential of created.credentials) {
      const start = (credential.part_number - 1) * options.partSize;
      const end = Math.min(size, start + options.partSize);
      const what = `part ${credential.part_number}/${numParts} of ${artifactPath}`;
      const res = await uploadWithRetries(
        options,
        credential.url,
        { file: { path: file, start, end }, onBytes: (sent) => show(start + sent) },
        what,
      );
      const body = expectOk(res, what);
      const etag = (res.headers.etag as string | undefined) ?? body?.etag;
      if (!etag) throw new Error(`${what} failed: the answer has no etag.`);
      parts.push({ part_number: credential.part_number, etag });
    }
    await step(
      `completing the upload of ${artifactPath}`,
      unwrap(
        client.POST("/api/2.0/mlflow-artifacts/mpu/complete/{artifact_path}", {
          ...artifactPathParams(artifactPath),
          body: { path: artifactPath, upload_id: created.upload_id, parts },
        }),
      ),
    );
    show(size);
  } catch (e) {
    await client
      .POST("/api/2.0/mlflow-artifacts/mpu/abort/{artifact_path}", {
        ...artifactPathParams(artifactPath),
        body: { path: artifactPath, upload_id: created.upload_id },
      })
      .catch(() => {});
    throw e;
  }
}

/**
 * Publishes the MLflow model directory `options.dir` as a new version of `options.name` (see the file's
 * header); resolves to the created model version.
 */
export async function publish(options: PublishOptions) {
  if (!fs.existsSync(path.join(options.dir, "MLmodel")))
    throw new Error(`${options.dir} is not an MLflow model directory (no MLmodel file).`);
  const client = createEdgeserveClient({ host: options.host, token: options.token });
  const lookup = await unwrap(
    client.GET("/api/2.0/mlflow/registered-models/get", { params: { query: { name: options.name } } }),
  ).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    if (e instanceof ApiError)
      throw new Error(`looking up the registered model failed: ${e.status} ${e.error_code}: ${e.message}`);
    throw e;
  });
  if (lookup === null) {
    await step(
      "creating the registered model",
      unwrap(
        client.POST("/api/2.0/mlflow/registered-models/create", {
          body: { name: options.name, ...(options.description ? { description: options.description } : {}) },
        }),
      ),
    );
    process.stderr.write(`Created registered model ${options.name}.\n`);
  }

  // Files go to a fresh directory; the version points at it once everything is uploaded.
  const uploadDir =
    `models/${options.name}/uploads/` +
    `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(4).toString("hex")}`;
  const files = listFiles(options.dir);
  const total = files.reduce((n, f) => n + fs.statSync(path.join(options.dir, f)).size, 0);
  process.stderr.write(`Uploading ${files.length} file(s), ${formatBytes(total)}, to mlflow-artifacts:/${uploadDir}\n`);
  for (const rel of files) {
    const file = path.join(options.dir, rel);
    const size = fs.statSync(file).size;
    const multipart = size > options.threshold;
    const show = progress(`  ${rel}${multipart ? ` (${Math.ceil(size / options.partSize)} parts)` : ""}`, size);
    show(0);
    if (multipart) await uploadMultipart(client, options, `${uploadDir}/${rel}`, file, size, show);
    else await uploadSmall(options, `${uploadDir}/${rel}`, file, size, show);
  }

  const { model_version: version } = await step(
    "creating the model version",
    unwrap(
      client.POST("/api/2.0/mlflow/model-versions/create", {
        body: { name: options.name, source: `mlflow-artifacts:/${uploadDir}` },
      }),
    ),
  );
  process.stderr.write(`Registered ${options.name} version ${version.version}.\n`);
  if (options.alias) {
    await step(
      `setting alias ${options.alias}`,
      unwrap(
        client.POST("/api/2.0/mlflow/registered-models/alias", {
          body: { name: options.name, alias: options.alias, version: version.version },
        }),
      ),
    );
    process.stderr.write(`Alias ${options.alias} → version ${version.version}.\n`);
  }
  return version;
}
