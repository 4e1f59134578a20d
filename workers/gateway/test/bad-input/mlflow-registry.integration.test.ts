import {
  abortMultipartUploadRequest,
  aliasRef,
  completeMultipartUploadRequest,
  createModelVersionRequest,
  createMultipartUploadRequest,
  createRegisteredModelRequest,
  deleteRegisteredModelRequest,
  getLatestVersionsRequest,
  modelVersionRef,
  renameRegisteredModelRequest,
  setAliasRequest,
  updateModelVersionRequest,
  updateRegisteredModelRequest,
} from "@edgeserve/api/mlflow-registry";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type RouteCase, badInputSuite, checkBadRequest, digest, send, warmUp } from "./harness";

/** Bad input on the MLflow model registry (/api/2.0/mlflow) and artifact proxy (/api/2.0/mlflow-artifacts). */

const RM = "/api/2.0/mlflow/registered-models";
const MV = "/api/2.0/mlflow/model-versions";
const MA = "/api/2.0/mlflow-artifacts";
const MODEL = "bi.model.one";
const ARTIFACT = "bi-artifact.bin";

const enc = (pairs: readonly (readonly [string, string])[]) =>
  `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;
const badName = fc.constantFrom("", "a/b", "a..b", " x", "x".repeat(257), "ü", "{}");

/** Query strings a strict registry GET refuses: a required parameter missing or malformed, or an unknown one. */
function badRegistryQuery(
  valid: Record<string, string>,
  malformed: Record<string, fc.Arbitrary<string>>,
): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.nat().map((i) => enc(Object.entries(valid).filter((_, j) => j !== i % keys.length))),
    fc
      .constantFrom(...Object.keys(malformed))
      .chain((k) => malformed[k]!.map((v) => enc(Object.entries({ ...valid, [k]: v })))),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !keys.includes(k)),
        fc.string({ maxLength: 10 }),
      )
      .map(([k, v]) => enc([...Object.entries(valid), [k, v]])),
  );
}

const badVersion = fc.constantFrom("0", "-1", "abc", "1.5", "", "01", "99999999999");

function routes(uploadId: string): RouteCase[] {
  const nameField = { path: ["name"], kind: "string" } as const;
  return [
    {
      method: "POST",
      pattern: `${RM}/create`,
      path: `${RM}/create`,
      body: {
        valid: { name: "bi.model.new", description: "d", tags: [{ key: "k", value: "v" }] },
        schema: createRegisteredModelRequest,
        strict: true,
        strictPaths: [[], ["tags", 0]],
        fields: [
          nameField,
          { path: ["description"], kind: "string" },
          { path: ["tags"], kind: "array" },
          { path: ["tags", 0, "key"], kind: "string" },
          { path: ["tags", 0, "value"], kind: "string" },
        ],
      },
    },
    {
      method: "GET",
      pattern: `${RM}/get`,
      path: `${RM}/get?name=${MODEL}`,
      badQuery: badRegistryQuery({ name: MODEL }, { name: badName }),
    },
    {
      method: "GET",
      pattern: `${RM}/search`,
      path: `${RM}/search`,
      badQuery: fc.oneof(
        fc.constantFrom(
          "?max_results=0",
          "?max_results=x",
          "?max_results=1001",
          "?order_by=colour",
          "?page_token=nope",
          "?filter=owner%3D'x'",
          "?filter=name%3Dx",
          "?filter=name%3D'a'%20OR%20name%3D'b'",
        ),
        fc
          .tuple(
            fc
              .string({ minLength: 1, maxLength: 10 })
              .filter((k) => !["filter", "max_results", "order_by", "page_token"].includes(k)),
            fc.string({ maxLength: 10 }),
          )
          .map(([k, v]) => enc([[k, v]])),
      ),
    },
    {
      method: "POST",
      pattern: `${RM}/rename`,
      path: `${RM}/rename`,
      body: {
        valid: { name: MODEL, new_name: "bi.model.renamed" },
        schema: renameRegisteredModelRequest,
        strict: true,
        fields: [nameField, { path: ["new_name"], kind: "string" }],
      },
    },
    {
      method: "PATCH",
      pattern: `${RM}/update`,
      path: `${RM}/update`,
      body: {
        valid: { name: MODEL, description: "new" },
        schema: updateRegisteredModelRequest,
        strict: true,
        fields: [nameField, { path: ["description"], kind: "string" }],
      },
    },
    {
      method: "DELETE",
      pattern: `${RM}/delete`,
      path: `${RM}/delete`,
      body: { valid: { name: MODEL }, schema: deleteRegisteredModelRequest, strict: true, fields: [nameField] },
    },
    {
      method: "POST",
      pattern: `${RM}/get-latest-versions`,
      path: `${RM}/get-latest-versions`,
      body: {
        valid: { name: MODEL, stages: ["None"] },
        schema: getLatestVersionsRequest,
        strict: true,
        fields: [nameField, { path: ["stages"], kind: "stringOrArray" }],
      },
    },
    {
      method: "POST",
      pattern: `${RM}/alias`,
      path: `${RM}/alias`,
      body: {
        valid: { name: MODEL, alias: "challenger", version: "1" },
        schema: setAliasRequest,
        strict: true,
        fields: [nameField, { path: ["alias"], kind: "string" }],
      },
    },
    {
      method: "DELETE",
      pattern: `${RM}/alias`,
      path: `${RM}/alias`,
      body: {
        valid: { name: MODEL, alias: "champion" },
        schema: aliasRef,
        strict: true,
        fields: [nameField, { path: ["alias"], kind: "string" }],
      },
    },
    {
      method: "GET",
      pattern: `${RM}/alias`,
      path: `${RM}/alias?name=${MODEL}&alias=champion`,
      badQuery: badRegistryQuery(
        { name: MODEL, alias: "champion" },
        { name: badName, alias: fc.constantFrom("latest", "v1", "a b", "") },
      ),
    },
    {
      method: "POST",
      pattern: `${MV}/create`,
      path: `${MV}/create`,
      body: {
        valid: {
          name: MODEL,
          source: `mlflow-artifacts:/models/${MODEL}/2`,
          run_id: "r",
          run_link: "l",
          description: "d",
          tags: [{ key: "k", value: "v" }],
        },
        schema: createModelVersionRequest,
        strict: true,
        strictPaths: [[], ["tags", 0]],
        fields: [
          nameField,
          { path: ["source"], kind: "string" },
          { path: ["run_id"], kind: "string" },
          { path: ["tags"], kind: "array" },
          { path: ["tags", 0, "key"], kind: "string" },
        ],
      },
    },
    {
      method: "GET",
      pattern: `${MV}/get`,
      path: `${MV}/get?name=${MODEL}&version=1`,
      badQuery: badRegistryQuery({ name: MODEL, version: "1" }, { name: badName, version: badVersion }),
    },
    {
      method: "GET",
      pattern: `${MV}/get-download-uri`,
      path: `${MV}/get-download-uri?name=${MODEL}&version=1`,
      badQuery: badRegistryQuery({ name: MODEL, version: "1" }, { name: badName, version: badVersion }),
    },
    {
      method: "GET",
      pattern: `${MV}/search`,
      path: `${MV}/search`,
      badQuery: fc.constantFrom(
        "?filter=tags.x%3D'1'",
        "?filter=run_id%20LIKE%20'x'",
        "?max_results=-5",
        "?order_by=size",
        "?page_token=%%%",
        "?colour=red",
      ),
    },
    {
      method: "PATCH",
      pattern: `${MV}/update`,
      path: `${MV}/update`,
      body: {
        valid: { name: MODEL, version: "1", description: "x" },
        schema: updateModelVersionRequest,
        strict: true,
        fields: [nameField, { path: ["description"], kind: "string" }],
      },
    },
    {
      method: "DELETE",
      pattern: `${MV}/delete`,
      path: `${MV}/delete`,
      body: { valid: { name: MODEL, version: "1" }, schema: modelVersionRef, strict: true, fields: [nameField] },
    },
    {
      method: "GET",
      pattern: `${MA}/artifacts`,
      path: `${MA}/artifacts`,
      badQuery: fc.constantFrom("?path=a%2F..%2Fb", "?path=a//b", "?path=%00", "?colour=red", "?path=x&y=1"),
    },
    {
      method: "GET",
      pattern: `${MA}/artifacts/:artifact_path`,
      path: `${MA}/artifacts/${ARTIFACT}`,
      missingPath: (s) => `${MA}/artifacts/${s}`,
      existing: [ARTIFACT],
    },
    // PUT with a bad path is covered below; any body is a valid file, so there is no bad body.
    { method: "PUT", pattern: `${MA}/artifacts/:artifact_path`, path: `${MA}/artifacts/${ARTIFACT}` },
    {
      method: "DELETE",
      pattern: `${MA}/artifacts/:artifact_path`,
      path: `${MA}/artifacts/${ARTIFACT}`,
      missingPath: (s) => `${MA}/artifacts/${s}`,
      existing: [ARTIFACT],
    },
    {
      method: "POST",
      pattern: `${MA}/mpu/create/:artifact_path`,
      path: `${MA}/mpu/create/bi-upload.bin`,
      body: {
        valid: { path: "bi-upload.bin", num_parts: 2 },
        schema: createMultipartUploadRequest,
        strict: true,
        fields: [
          { path: ["path"], kind: "string" },
          { path: ["num_parts"], kind: "int" },
        ],
      },
    },
    {
      method: "PUT",
      pattern: `${MA}/mpu/upload-part/:artifact_path`,
      path: `${MA}/mpu/upload-part/bi-upload.bin?upload_id=${encodeURIComponent(uploadId)}&part_number=1`,
      badQuery: fc.oneof(
        fc.constantFrom(
          "?part_number=1",
          `?upload_id=${encodeURIComponent(uploadId)}`,
          `?upload_id=${encodeURIComponent(uploadId)}&part_number=0`,
          `?upload_id=${encodeURIComponent(uploadId)}&part_number=x`,
        ),
        fc.constantFrom(
          `?upload_id=${encodeURIComponent(uploadId)}&part_number=10001`,
          `?upload_id=&part_number=1`,
          `?upload_id=${encodeURIComponent(uploadId)}&part_number=1&extra=1`,
        ),
      ),
    },
    {
      method: "POST",
      pattern: `${MA}/mpu/complete/:artifact_path`,
      path: `${MA}/mpu/complete/bi-upload.bin`,
      missingPath: (s) => `${MA}/mpu/complete/${s}`,
      existing: ["bi-upload.bin"],
      body: {
        valid: { path: "bi-upload.bin", upload_id: uploadId, parts: [{ part_number: 1, etag: "e" }] },
        schema: completeMultipartUploadRequest,
        strict: true,
        strictPaths: [[], ["parts", 0]],
        fields: [
          { path: ["upload_id"], kind: "string" },
          { path: ["parts"], kind: "array" },
          { path: ["parts", 0, "part_number"], kind: "int" },
          { path: ["parts", 0, "etag"], kind: "string" },
        ],
      },
    },
    {
      method: "POST",
      pattern: `${MA}/mpu/abort/:artifact_path`,
      path: `${MA}/mpu/abort/bi-upload.bin`,
      missingPath: (s) => `${MA}/mpu/abort/${s}`,
      existing: ["bi-upload.bin"],
      body: {
        valid: { path: "bi-upload.bin", upload_id: uploadId },
        schema: abortMultipartUploadRequest,
        strict: true,
        fields: [
          { path: ["upload_id"], kind: "string" },
          { path: ["path"], kind: "string" },
        ],
      },
    },
  ];
}

const DECLARED = [
  `POST ${RM}/create`,
  `GET ${RM}/get`,
  `GET ${RM}/search`,
  `POST ${RM}/rename`,
  `PATCH ${RM}/update`,
  `DELETE ${RM}/delete`,
  `POST ${RM}/get-latest-versions`,
  `POST ${RM}/alias`,
  `DELETE ${RM}/alias`,
  `GET ${RM}/alias`,
  `POST ${MV}/create`,
  `GET ${MV}/get`,
  `GET ${MV}/get-download-uri`,
  `GET ${MV}/search`,
  `PATCH ${MV}/update`,
  `DELETE ${MV}/delete`,
  `GET ${MA}/artifacts`,
  `GET ${MA}/artifacts/:artifact_path`,
  `PUT ${MA}/artifacts/:artifact_path`,
  `DELETE ${MA}/artifacts/:artifact_path`,
  `POST ${MA}/mpu/create/:artifact_path`,
  `PUT ${MA}/mpu/upload-part/:artifact_path`,
  `POST ${MA}/mpu/complete/:artifact_path`,
  `POST ${MA}/mpu/abort/:artifact_path`,
];

let cases: RouteCase[] = [];

beforeAll(async () => {
  await warmUp();
  const ok = async (method: string, path: string, body?: string) => {
    const res = await send({ method, path, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(200);
    return res.json as any;
  };
  await ok("POST", `${RM}/create`, JSON.stringify({ name: MODEL }));
  await ok("PUT", `${MA}/artifacts/models/${MODEL}/1/MLmodel`, "flavors: {}\n");
  await ok("PUT", `${MA}/artifacts/${ARTIFACT}`, "bytes");
  await ok("POST", `${MV}/create`, JSON.stringify({ name: MODEL, source: `mlflow-artifacts:/models/${MODEL}/1` }));
  await ok("POST", `${RM}/alias`, JSON.stringify({ name: MODEL, alias: "champion", version: "1" }));
  const upload = await ok("POST", `${MA}/mpu/create/bi-upload.bin`, JSON.stringify({ num_parts: 1 }));
  cases = routes(upload.upload_id);
});

describe("bad input: MLflow registry and artifacts", () => {
  badInputSuite(() => cases, DECLARED);

  it(
    "refuses semantically bad requests (missing models/versions/aliases, " +
      "duplicates, bad sources and paths), changing nothing",
    async () => {
      let state = await digest();
      const checks: [string, string, unknown, number][] = [
        ["POST", `${RM}/create`, { name: MODEL }, 409],
        ["POST", `${RM}/rename`, { name: "bi.missing.model", new_name: "bi.x" }, 404],
        ["DELETE", `${RM}/delete`, { name: "bi.missing.model" }, 404],
        ["POST", `${RM}/alias`, { name: MODEL, alias: "champion", version: "7" }, 404],
        ["DELETE", `${RM}/alias`, { name: MODEL, alias: "nobody" }, 404],
        ["POST", `${MV}/create`, { name: MODEL, source: "s3://bucket/x" }, 400],
        ["POST", `${MV}/create`, { name: MODEL, source: "models:/bi.missing.model/1" }, 404],
        ["POST", `${MV}/create`, { name: "bi.missing.model", source: "mlflow-artifacts:/x" }, 404],
        ["DELETE", `${MV}/delete`, { name: MODEL, version: "9" }, 404],
        [
          "POST",
          `${MA}/mpu/complete/bi-upload.bin`,
          { upload_id: "not-an-upload", parts: [{ part_number: 1, etag: "e" }] },
          404,
        ],
        [
          "POST",
          `${MA}/mpu/complete/bi-other.bin`,
          {
            upload_id: (cases.find((c) => c.pattern.includes("abort"))!.body!.valid as any).upload_id,
            parts: [{ part_number: 1, etag: "e" }],
          },
          404,
        ],
        ["POST", `${MA}/mpu/abort/bi-upload.bin`, { path: "elsewhere.bin", upload_id: "x" }, 400],
      ];
      for (const [method, path, body, status] of checks) {
        state = await checkBadRequest({ method, path, body: JSON.stringify(body) }, { statuses: [status] }, state);
      }
      for (const path of ["a%2F..%2Fb", "%2e%2e%2Fx", "a%00", "%zz"]) {
        state = await checkBadRequest(
          { method: "PUT", path: `${MA}/artifacts/${path}`, body: "x" },
          { statuses: [400] },
          state,
        );
      }
    },
  );
});
