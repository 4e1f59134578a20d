import { ApiError, errors } from "@edgeserve/api";
import {
  abortMultipartUploadRequest,
  completeMultipartUploadRequest,
  createMultipartUploadRequest,
  listArtifactsQuery,
  uploadPartQuery,
} from "@edgeserve/api/mlflow-registry";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { MB, readBody, readBodyBytes, readQuery } from "../http/read-json";
import { requireArtifactWrite } from "../registry/artifact-access";
import { artifactDirPrefix, artifactKey, normalizeArtifactPath } from "../registry/artifact-path";
import { forgetUpload, recordUpload, requireUpload } from "../registry/artifact-uploads";
import { multipartError } from "../registry/r2-errors";

/**
 * MLflow's artifact proxy (/api/2.0/mlflow-artifacts) over the ARTIFACTS R2 bucket: single PUT/GET,
 * listing, and multipart upload whose part URLs are served here (parts stream straight into R2).
 */
export const mlflowArtifactRoutes = new Hono<AppEnv>();

const ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
const MPU = "/api/2.0/mlflow-artifacts/mpu";

/** The artifact path after `prefix` in the request URL, percent-decoded per segment. */
function pathAfter(c: Context, prefix: string): string {
  const pathname = new URL(c.req.url).pathname;
  const raw = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : "";
  let decoded: string;
  try {
    decoded = raw.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw errors.invalid("Invalid value for 'path': bad percent-encoding.");
  }
  return normalizeArtifactPath(decoded);
}

/** Bodies without Content-Length (chunked) are read into memory up to this size; larger ones must declare it. */
const UNSIZED_BODY_MAX_BYTES = 16 * MB;

/**
 * The body as R2 accepts it: R2 needs the length up front, so a declared Content-Length streams
 * straight through, and a chunked body is buffered only when small.
 */
async function sizedBody(c: Context): Promise<{ body: ReadableStream | Uint8Array; size: number }> {
  const declared = c.req.header("content-length");
  if (declared === undefined) {
    const bytes = await readBodyBytes(c, UNSIZED_BODY_MAX_BYTES).catch((e) => {
      if (e instanceof ApiError && e.code === "RESOURCE_LIMIT_EXCEEDED")
        throw errors.tooLarge(
          `A body over ${UNSIZED_BODY_MAX_BYTES / MB} MB needs a Content-Length ` +
            `header: artifacts stream into storage, which needs the size up front.`,
        );
      throw e;
    });
    return { body: bytes, size: bytes.byteLength };
  }
  const size = Number(declared);
  if (!Number.isSafeInteger(size) || size < 0) throw errors.badRequest("Invalid Content-Length header.");
  return { body: size === 0 || !c.req.raw.body ? new Uint8Array() : c.req.raw.body, size };
}

// Listing: `GET /artifacts?path=dir` → the directory's direct children (names relative to it, as MLflow).
mlflowArtifactRoutes.get("/artifacts", async (c) => {
  const query = readQuery(c, listArtifactsQuery);
  const dir = normalizeArtifactPath(query.path ?? "", { allowEmpty: true });
  const prefix = artifactDirPrefix(dir);
  const files: { path: string; is_dir: boolean; file_size?: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.env.ARTIFACTS.list({ prefix, delimiter: "/", cursor, limit: 1000 });
    for (const p of page.delimitedPrefixes) files.push({ path: p.slice(prefix.length, -1), is_dir: true });
    for (const o of page.objects) files.push({ path: o.key.slice(prefix.length), is_dir: false, file_size: o.size });
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  files.sort((a, b) => a.path.localeCompare(b.path));
  return c.json({ files });
});

mlflowArtifactRoutes.get("/artifacts/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${ARTIFACTS}/`);
  const object = await c.env.ARTIFACTS.get(artifactKey(path));
  if (!object) throw errors.notFound(`Artifact '${path}' does not exist.`);
  return new Response(object.body, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(object.size),
      etag: object.httpEtag,
    },
  });
});

mlflowArtifactRoutes.put("/artifacts/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${ARTIFACTS}/`);
  await requireArtifactWrite(c.get("db"), c.get("principal"), path);
  const { body } = await sizedBody(c);
  await c.env.ARTIFACTS.put(artifactKey(path), body);
  return c.json({});
});

/** Deletes a file, or every file under a directory (as MLflow's artifact proxy). */
mlflowArtifactRoutes.delete("/artifacts/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${ARTIFACTS}/`);
  await requireArtifactWrite(c.get("db"), c.get("principal"), `${path}/`);
  const keys: string[] = [];
  if (await c.env.ARTIFACTS.head(artifactKey(path))) keys.push(artifactKey(path));
  let cursor: string | undefined;
  do {
    const page = await c.env.ARTIFACTS.list({ prefix: artifactDirPrefix(path), cursor, limit: 1000 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  if (keys.length === 0) throw errors.notFound(`Artifact '${path}' does not exist.`);
  for (let i = 0; i < keys.length; i += 1000) await c.env.ARTIFACTS.delete(keys.slice(i, i + 1000));
  return c.json({});
});

/** The path in the body, when given, must agree with the one in the URL. */
function checkBodyPath(urlPath: string, bodyPath: string | undefined): void {
  if (bodyPath !== undefined && bodyPath !== "" && normalizeArtifactPath(bodyPath) !== urlPath)
    throw errors.invalid(`Invalid value for 'path': '${bodyPath}' does not match the path in the URL ('${urlPath}').`);
}

mlflowArtifactRoutes.post("/mpu/create/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${MPU}/create/`);
  const body = await readBody(c, createMultipartUploadRequest);
  checkBodyPath(path, body.path);
  await requireArtifactWrite(c.get("db"), c.get("principal"), path);
  const upload = await c.env.ARTIFACTS.createMultipartUpload(artifactKey(path));
  await recordUpload(c.get("db"), upload.uploadId, artifactKey(path), c.get("principal"));
  const origin = new URL(c.req.url).origin;
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  const credentials = Array.from({ length: body.num_parts }, (_, i) => ({
    part_number: i + 1,
    url:
      `${origin}${MPU}/upload-part/${encodedPath}` +
      `?upload_id=${encodeURIComponent(upload.uploadId)}&part_number=${i + 1}`,
    headers: {},
  }));
  return c.json({ upload_id: upload.uploadId, credentials });
});

/** One part, streamed into the R2 multipart upload; answers its ETag (header and body) for `complete`. */
mlflowArtifactRoutes.put("/mpu/upload-part/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${MPU}/upload-part/`);
  const query = readQuery(c, uploadPartQuery);
  await requireArtifactWrite(c.get("db"), c.get("principal"), path);
  const { body, size } = await sizedBody(c);
  if (size === 0) throw errors.invalid("A part must not be empty.");
  await requireUpload(c.get("db"), query.upload_id, artifactKey(path), c.get("principal"));
  const upload = c.env.ARTIFACTS.resumeMultipartUpload(artifactKey(path), query.upload_id);
  const part = await upload.uploadPart(query.part_number, body).catch(multipartError);
  return c.json({ part_number: part.partNumber, etag: part.etag }, 200, { etag: part.etag });
});

mlflowArtifactRoutes.post("/mpu/complete/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${MPU}/complete/`);
  const body = await readBody(c, completeMultipartUploadRequest);
  checkBodyPath(path, body.path);
  await requireArtifactWrite(c.get("db"), c.get("principal"), path);
  const parts = [...body.parts].sort((a, b) => a.part_number - b.part_number);
  if (new Set(parts.map((p) => p.part_number)).size !== parts.length)
    throw errors.invalid("Invalid value for 'parts': part numbers must be unique.");
  await requireUpload(c.get("db"), body.upload_id, artifactKey(path), c.get("principal"));
  const upload = c.env.ARTIFACTS.resumeMultipartUpload(artifactKey(path), body.upload_id);
  await upload.complete(parts.map((p) => ({ partNumber: p.part_number, etag: p.etag }))).catch(multipartError);
  await forgetUpload(c.get("db"), body.upload_id);
  return c.json({});
});

mlflowArtifactRoutes.post("/mpu/abort/:artifact_path{.+}", async (c) => {
  const path = pathAfter(c, `${MPU}/abort/`);
  const body = await readBody(c, abortMultipartUploadRequest);
  checkBodyPath(path, body.path);
  await requireArtifactWrite(c.get("db"), c.get("principal"), path);
  await requireUpload(c.get("db"), body.upload_id, artifactKey(path), c.get("principal"));
  await c.env.ARTIFACTS.resumeMultipartUpload(artifactKey(path), body.upload_id).abort().catch(multipartError);
  await forgetUpload(c.get("db"), body.upload_id);
  return c.json({});
});
