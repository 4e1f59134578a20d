import {
  createScopeRequest,
  deleteAclRequest,
  deleteScopeRequest,
  deleteSecretRequest,
  putAclRequest,
  putSecretRequest,
} from "@edgeserve/api/secrets";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type RouteCase, badInputSuite, checkBadRequest, digest, queryString, send, warmUp } from "./harness";

/** Bad input on the Secrets API (/api/2.0/secrets). */

const S = "/api/2.0/secrets";
const SCOPE = "bi-scope";

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const badName = fc.oneof(
  fc.string({ maxLength: 20 }).filter((s) => !NAME.test(s)),
  fc.constantFrom("", "a b", "a/b", "a%b", "ü", "x".repeat(129), "{{secrets/x/y}}"),
);
const goodName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);

/**
 * Query strings a strict secrets GET must refuse: a required parameter missing or malformed, or an
 * unknown parameter beside valid ones. `required` maps each parameter to whether it is a name (scope/key).
 */
function badSecretsQuery(required: Record<string, "name" | "principal">): fc.Arbitrary<string> {
  const keys = Object.keys(required);
  const validPairs = fc.tuple(
    ...keys.map((k) =>
      (required[k] === "name" ? goodName : fc.string({ minLength: 1, maxLength: 20 })).map((v) => [k, v] as const),
    ),
  );
  const enc = (pairs: readonly (readonly [string, string])[]) =>
    `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`;
  return fc.oneof(
    // One required parameter missing.
    fc.tuple(validPairs, fc.nat()).map(([pairs, i]) => enc(pairs.filter((_, j) => j !== i % pairs.length))),
    // One required parameter malformed.
    fc
      .tuple(validPairs, fc.nat(), badName, fc.constantFrom("", "x".repeat(1025)))
      .map(([pairs, i, name, principal]) => {
        const index = i % pairs.length;
        const [k] = pairs[index]!;
        return enc(pairs.map((p, j) => (j === index ? ([k, required[k] === "name" ? name : principal] as const) : p)));
      }),
    // An unknown parameter.
    fc
      .tuple(
        validPairs,
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !keys.includes(k)),
        fc.string({ maxLength: 10 }),
      )
      .map(([pairs, k, v]) => enc([...pairs, [k, v]])),
  );
}

function routes(): RouteCase[] {
  return [
    {
      method: "POST",
      pattern: `${S}/scopes/create`,
      path: `${S}/scopes/create`,
      body: {
        valid: { scope: "bi-new-scope", initial_manage_principal: "users", scope_backend_type: "DATABRICKS" },
        schema: createScopeRequest,
        strict: true,
        fields: [
          { path: ["scope"], kind: "string" },
          { path: ["initial_manage_principal"], kind: "string" },
          { path: ["scope_backend_type"], kind: "string" },
          { path: ["backend_azure_keyvault"], kind: "object" },
          { path: ["backend_azure_keyvault", "resource_id"], kind: "string" },
        ],
      },
    },
    {
      method: "POST",
      pattern: `${S}/scopes/delete`,
      path: `${S}/scopes/delete`,
      body: {
        valid: { scope: SCOPE },
        schema: deleteScopeRequest,
        strict: true,
        fields: [{ path: ["scope"], kind: "string" }],
      },
    },
    { method: "GET", pattern: `${S}/scopes/list`, path: `${S}/scopes/list`, badQuery: queryString() },
    {
      method: "POST",
      pattern: `${S}/put`,
      path: `${S}/put`,
      body: {
        valid: { scope: SCOPE, key: "k2", string_value: "v" },
        schema: putSecretRequest,
        strict: true,
        fields: [
          { path: ["scope"], kind: "string" },
          { path: ["key"], kind: "string" },
          { path: ["string_value"], kind: "string" },
          { path: ["bytes_value"], kind: "string" },
        ],
      },
    },
    {
      method: "POST",
      pattern: `${S}/delete`,
      path: `${S}/delete`,
      body: {
        valid: { scope: SCOPE, key: "k" },
        schema: deleteSecretRequest,
        strict: true,
        fields: [
          { path: ["scope"], kind: "string" },
          { path: ["key"], kind: "string" },
        ],
      },
    },
    {
      method: "GET",
      pattern: `${S}/list`,
      path: `${S}/list?scope=${SCOPE}`,
      badQuery: badSecretsQuery({ scope: "name" }),
    },
    {
      method: "GET",
      pattern: `${S}/get`,
      path: `${S}/get?scope=${SCOPE}&key=k`,
      badQuery: badSecretsQuery({ scope: "name", key: "name" }),
    },
    {
      method: "POST",
      pattern: `${S}/acls/put`,
      path: `${S}/acls/put`,
      body: {
        valid: { scope: SCOPE, principal: "users", permission: "READ" },
        schema: putAclRequest,
        strict: true,
        fields: [
          { path: ["scope"], kind: "string" },
          { path: ["principal"], kind: "string" },
          { path: ["permission"], kind: "string" },
        ],
      },
    },
    {
      method: "POST",
      pattern: `${S}/acls/delete`,
      path: `${S}/acls/delete`,
      body: {
        valid: { scope: SCOPE, principal: "users" },
        schema: deleteAclRequest,
        strict: true,
        fields: [
          { path: ["scope"], kind: "string" },
          { path: ["principal"], kind: "string" },
        ],
      },
    },
    {
      method: "GET",
      pattern: `${S}/acls/get`,
      path: `${S}/acls/get?scope=${SCOPE}&principal=users`,
      badQuery: badSecretsQuery({ scope: "name", principal: "principal" }),
    },
    {
      method: "GET",
      pattern: `${S}/acls/list`,
      path: `${S}/acls/list?scope=${SCOPE}`,
      badQuery: badSecretsQuery({ scope: "name" }),
    },
  ];
}

const DECLARED = [
  `POST ${S}/scopes/create`,
  `POST ${S}/scopes/delete`,
  `GET ${S}/scopes/list`,
  `POST ${S}/put`,
  `POST ${S}/delete`,
  `GET ${S}/list`,
  `GET ${S}/get`,
  `POST ${S}/acls/put`,
  `POST ${S}/acls/delete`,
  `GET ${S}/acls/get`,
  `GET ${S}/acls/list`,
];

let cases: RouteCase[] = [];

beforeAll(async () => {
  await warmUp();
  for (const [path, body] of [
    ["scopes/create", { scope: SCOPE }],
    ["put", { scope: SCOPE, key: "k", string_value: "secret-value" }],
    ["acls/put", { scope: SCOPE, principal: "users", permission: "READ" }],
  ] as const) {
    const res = await send({ method: "POST", path: `${S}/${path}`, body: JSON.stringify(body) });
    expect(res.status, res.text).toBe(200);
  }
  cases = routes();
});

describe("bad input: secrets", () => {
  badInputSuite(() => cases, DECLARED);

  it("refuses a body just over 1 MB with 413 RESOURCE_LIMIT_EXCEEDED, changing nothing", async () => {
    await checkBadRequest(
      {
        method: "POST",
        path: `${S}/put`,
        body: JSON.stringify({ scope: SCOPE, key: "big", string_value: "x".repeat(1024 * 1024) }),
      },
      { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
    );
  });

  it(
    "refuses semantically bad requests (missing scope/secret/ACL/principal, " +
      "duplicates, reserved names, bad values), changing nothing",
    async () => {
      let state = await digest();
      const checks: [string, string, unknown, number][] = [
        ["POST", "scopes/create", { scope: SCOPE }, 409],
        ["POST", "scopes/create", { scope: "endpoint-abc" }, 400],
        ["POST", "scopes/create", { scope: "az", scope_backend_type: "AZURE_KEYVAULT" }, 400],
        ["POST", "scopes/create", { scope: "az", backend_azure_keyvault: { resource_id: "r", dns_name: "d" } }, 400],
        ["POST", "scopes/delete", { scope: "bi-missing-scope" }, 404],
        ["POST", "put", { scope: "bi-missing-scope", key: "k", string_value: "v" }, 404],
        ["POST", "put", { scope: SCOPE, key: "k3" }, 400],
        ["POST", "put", { scope: SCOPE, key: "k3", string_value: "a", bytes_value: "YQ==" }, 400],
        ["POST", "put", { scope: SCOPE, key: "k3", bytes_value: "not base64!!" }, 400],
        ["POST", "put", { scope: SCOPE, key: "k3", string_value: "x".repeat(128 * 1024 + 1) }, 400],
        ["POST", "delete", { scope: SCOPE, key: "missing" }, 404],
        ["POST", "delete", { scope: "bi-missing-scope", key: "k" }, 404],
        ["POST", "acls/put", { scope: SCOPE, principal: "nobody@example.com", permission: "READ" }, 404],
        ["POST", "acls/put", { scope: SCOPE, principal: "users", permission: "OWNER" }, 400],
        ["POST", "acls/delete", { scope: SCOPE, principal: "nobody@example.com" }, 404],
      ];
      for (const [method, path, body, status] of checks) {
        state = await checkBadRequest(
          { method, path: `${S}/${path}`, body: JSON.stringify(body) },
          { statuses: [status] },
          state,
        );
      }
      for (const path of [
        "list?scope=bi-missing-scope",
        "acls/list?scope=bi-missing-scope",
        "acls/get?scope=bi-scope&principal=nobody",
        "get?scope=bi-scope&key=k",
      ]) {
        state = await checkBadRequest({ method: "GET", path: `${S}/${path}` }, { statuses: [403, 404] }, state);
      }
    },
  );
});
