/**
 * Publishes an MLflow model directory to Edgeserve's model registry; used by `edgeserve models publish` and
 * by `infra/publish-model.mjs` (`pnpm publish-model`), which share this code.
 *
 * Creates the registered model if needed, uploads every file through the MLflow artifact proxy
 * (files over the threshold in parts through the multipart API, since a Worker request body is capped
 * at 100 MB), then creates the version and sets the alias. The version only exists once every file is
 * in, so a half-finished upload is never served. Progress goes to stderr.
 *
 * Plain JavaScript with node:http rather than the SDK: it streams files of hundreds of MB from disk with a
 * Content-Length (R2 needs the length up front) and byte-level progress, and must run under plain `node`
 * (infra/publish-model.mjs) without a TypeScript loader.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";

const MiB = 1024 * 1024;

/** Upload defaults, shared by both front ends. */
export const PUBLISH_DEFAULTS = { partSizeMib: 64, multipartThresholdMib: 64, retries: 3 };

/**
 * Checks the numeric options and turns them into bytes; returns an error message for a bad one.
 * R2: every part but the last at least 5 MiB; Workers: a request body below 100 MB.
 */
export function uploadLimits({ partSizeMib, multipartThresholdMib, retries }) {
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
function listFiles(dir, prefix = "") {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

const encodePath = (p) => p.split("/").map(encodeURIComponent).join("/");

function formatBytes(n) {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/** A progress line per file on stderr: redrawn in place on a terminal, every 10% otherwise. */
function progress(label, total) {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const line = `${label}  ${String(percent).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`;
    if (tty) process.stderr.write(`\r${line}${done >= total ? "\n" : ""}`);
    else if (Math.floor(percent / 10) > lastTenth) {
      lastTenth = Math.floor(percent / 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

/**
 * One HTTP request; `body` is a Buffer, or `{file, start, end}` streamed from disk (so hundreds of MB
 * never sit in memory). `onBytes` gets the bytes sent so far. Resolves to {status, headers, json, text}.
 */
function request(options, method, url, { json, file, onBytes } = {}) {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const headers = { authorization: `Bearer ${options.token}` };
  let length = 0;
  if (json !== undefined) {
    const body = Buffer.from(JSON.stringify(json));
    headers["content-type"] = "application/json";
    length = body.length;
    headers["content-length"] = String(length);
    json = body;
  } else if (file) {
    length = file.end - file.start;
    headers["content-type"] = "application/octet-stream";
    headers["content-length"] = String(length);
  }
  return new Promise((resolve, reject) => {
    const req = transport.request(target, { method, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, json: body, text });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (json !== undefined) req.end(json);
    else if (file) {
      if (length === 0) return req.end();
      let sent = 0;
      const stream = fs.createReadStream(file.path, { start: file.start, end: file.end - 1 });
      stream.on("data", (chunk) => {
        sent += chunk.length;
        onBytes?.(sent);
      });
      stream.on("error", (e) => req.destroy(e));
      stream.pipe(req);
    } else req.end();
  });
}

async function api(options, method, route, json) {
  const res = await request(options, method, `${options.host}${route}`, json === undefined ? {} : { json });
  return res;
}

function explain(res) {
  return res.json?.message
    ? `${res.status} ${res.json.error_code}: ${res.json.message}`
    : `${res.status} ${res.text.slice(0, 200)}`;
}

async function expectOk(res, what) {
  if (res.status !== 200) throw new Error(`${what} failed: ${explain(res)}`);
  return res.json;
}

/** Statuses after which sending the same upload again is worth it: the gateway or its host was briefly unavailable. */
const TRANSIENT = new Set([502, 503, 504]);

/**
 * Sends an upload (a PUT of a file or a part, which overwrites the same key: safe to repeat) and sends it
 * again, up to `options.retries` times with a growing pause, when it fails transiently (a 502/503/504 or a
 * dropped connection). Anything else is answered at once.
 */
async function uploadWithRetries(options, url, body, what) {
  const { retries = 3, retryDelayMs = 1000 } = options;
  for (let attempt = 0; ; attempt++) {
    const res = await request(options, "PUT", url, body).catch((error) => ({ error }));
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

async function uploadSmall(options, artifactPath, file, size, show) {
  const url = `${options.host}/api/2.0/mlflow-artifacts/artifacts/${encodePath(artifactPath)}`;
  const res = await uploadWithRetries(
    options,
    url,
    { file: { path: file, start: 0, end: size }, onBytes: show },
    `upload of ${artifactPath}`,
  );
  await expectOk(res, `upload of ${artifactPath}`);
  show(size);
}

async function uploadMultipart(options, artifactPath, file, size, show) {
  const mpu = `${options.host}/api/2.0/mlflow-artifacts/mpu`;
  const numParts = Math.ceil(size / options.partSize);
  const created = await expectOk(
    await request(options, "POST", `${mpu}/create/${encodePath(artifactPath)}`, {
      json: { path: artifactPath, num_parts: numParts },
    }),
    `starting the multipart upload of ${artifactPath}`,
  );
  try {
    const parts = [];
    for (const credential of created.credentials) {
      const start = (credential.part_number - 1) * options.partSize;
      const end = Math.min(size, start + options.partSize);
      const res = await uploadWithRetries(
        options,
        credential.url,
        { file: { path: file, start, end }, onBytes: (sent) => show(start + sent) },
        `part ${credential.part_number}/${numParts} of ${artifactPath}`,
      );
      const body = await expectOk(res, `part ${credential.part_number}/${numParts} of ${artifactPath}`);
      parts.push({ part_number: credential.part_number, etag: res.headers.etag ?? body.etag });
    }
    await expectOk(
      await request(options, "POST", `${mpu}/complete/${encodePath(artifactPath)}`, {
        json: { path: artifactPath, upload_id: created.upload_id, parts },
      }),
      `completing the upload of ${artifactPath}`,
    );
    show(size);
  } catch (e) {
    await request(options, "POST", `${mpu}/abort/${encodePath(artifactPath)}`, {
      json: { path: artifactPath, upload_id: created.upload_id },
    }).catch(() => {});
    throw e;
  }
}

/**
 * Publishes the MLflow model directory `options.dir` as a new version of `options.name` (see the file's
 * header); resolves to the created model version.
 */
export async function publish(options) {
  if (!fs.existsSync(path.join(options.dir, "MLmodel")))
    throw new Error(`${options.dir} is not an MLflow model directory (no MLmodel file).`);
  const RM = "/api/2.0/mlflow/registered-models";
  const existing = await api(options, "GET", `${RM}/get?name=${encodeURIComponent(options.name)}`);
  if (existing.status === 404) {
    await expectOk(
      await api(options, "POST", `${RM}/create`, {
        name: options.name,
        ...(options.description ? { description: options.description } : {}),
      }),
      "creating the registered model",
    );
    process.stderr.write(`Created registered model ${options.name}.\n`);
  } else await expectOk(existing, "looking up the registered model");

  // Files go to a fresh directory; the version points at it once everything is uploaded.
  const uploadDir = `models/${options.name}/uploads/${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(4).toString("hex")}`;
  const files = listFiles(options.dir);
  const total = files.reduce((n, f) => n + fs.statSync(path.join(options.dir, f)).size, 0);
  process.stderr.write(`Uploading ${files.length} file(s), ${formatBytes(total)}, to mlflow-artifacts:/${uploadDir}\n`);
  for (const rel of files) {
    const file = path.join(options.dir, rel);
    const size = fs.statSync(file).size;
    const multipart = size > options.threshold;
    const show = progress(`  ${rel}${multipart ? ` (${Math.ceil(size / options.partSize)} parts)` : ""}`, size);
    show(0);
    if (multipart) await uploadMultipart(options, `${uploadDir}/${rel}`, file, size, show);
    else await uploadSmall(options, `${uploadDir}/${rel}`, file, size, show);
  }

  const { model_version: version } = await expectOk(
    await api(options, "POST", "/api/2.0/mlflow/model-versions/create", {
      name: options.name,
      source: `mlflow-artifacts:/${uploadDir}`,
    }),
    "creating the model version",
  );
  process.stderr.write(`Registered ${options.name} version ${version.version}.\n`);
  if (options.alias) {
    await expectOk(
      await api(options, "POST", `${RM}/alias`, { name: options.name, alias: options.alias, version: version.version }),
      `setting alias ${options.alias}`,
    );
    process.stderr.write(`Alias ${options.alias} → version ${version.version}.\n`);
  }
  return version;
}
