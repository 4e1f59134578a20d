import {
  createOboTokenRequest,
  createTokenRequest,
  deleteTokenRequest,
  scimGroupRequest,
  scimPatchRequest,
  scimServicePrincipalRequest,
  scimUserRequest,
} from "@edgeserve/api/identity";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_IDS } from "../../src/identity/bootstrap";
import {
  type FieldSpec,
  type RouteCase,
  assertBadRequests,
  badInputSuite,
  checkBadRequest,
  digest,
  send,
  warmUp,
  wrongValue,
} from "./harness";

/** Bad input on the identity APIs: tokens, token management and SCIM. */

const TOKEN = "/api/2.0/token";
const TM = "/api/2.0/token-management";
const SCIM = "/api/2.0/preview/scim/v2";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const fx = {
  tokenId: "",
  userId: "",
  userName: "bi-user@example.com",
  groupId: "",
  groupName: "bi-group",
  spId: "",
  appId: "",
};

async function created(method: string, path: string, body: unknown): Promise<any> {
  const res = await send({ method, path, body: JSON.stringify(body) });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json;
}

const EQ_FILTER = /^\s*([A-Za-z][\w.]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|null)\s*$/i;

/** Query strings a SCIM list must refuse: non-numeric paging, over-long or unparsable filters, unknown attributes. */
const badScimListQuery = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("startIndex", "count"),
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.constantFrom("-1", "1.5", "1e3", "0x10", "1234567890", " 1", ""),
      ),
    )
    .filter(([, v]) => !/^\d{1,9}$/.test(v))
    .map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
  // (An empty filter is no filter.)
  fc
    .string({ minLength: 1, maxLength: 60 })
    .filter((f) => !EQ_FILTER.test(f))
    .map((f) => `?filter=${encodeURIComponent(f)}`),
  fc
    .string({ minLength: 1, maxLength: 20 })
    .map((v) => `?filter=${encodeURIComponent(`userName eq "${"x".repeat(1000)}${v}"`)}`),
  fc
    .constantFrom("nosuchattr", "password", "members", "groups", "meta.created")
    .map((a) => `?filter=${encodeURIComponent(`${a} eq "x"`)}`),
);

function scimRoutes(resource: "Users" | "Groups" | "ServicePrincipals"): RouteCase[] {
  const base = `${SCIM}/${resource}`;
  const id = resource === "Users" ? fx.userId : resource === "Groups" ? fx.groupId : fx.spId;
  const refs: FieldSpec[] = [];
  let valid: Record<string, unknown>;
  let schema: typeof scimUserRequest | typeof scimGroupRequest | typeof scimServicePrincipalRequest;
  let fields: FieldSpec[];
  const common: FieldSpec[] = [
    { path: ["schemas"], kind: "array" },
    { path: ["schemas", 0], kind: "string" },
    { path: ["externalId"], kind: "string" },
    { path: ["entitlements"], kind: "array" },
    { path: ["entitlements", 0, "value"], kind: "string" },
    { path: ["id"], kind: "string" },
  ];
  if (resource === "Users") {
    valid = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: fx.userName,
      displayName: "BI User",
      active: true,
      externalId: "ext",
      emails: [{ value: fx.userName, primary: true }],
      groups: [{ value: fx.groupId }],
      entitlements: [{ value: "x" }],
      name: { givenName: "B" },
    };
    schema = scimUserRequest;
    fields = [
      ...common,
      { path: ["userName"], kind: "string" },
      { path: ["displayName"], kind: "string" },
      { path: ["active"], kind: "boolean" },
      { path: ["emails"], kind: "array" },
      { path: ["emails", 0, "value"], kind: "string" },
      { path: ["emails", 0, "primary"], kind: "boolean" },
      { path: ["groups"], kind: "array" },
      { path: ["groups", 0], kind: "object" },
      { path: ["groups", 0, "value"], kind: "string" },
      { path: ["name"], kind: "object" },
      { path: ["name", "givenName"], kind: "string" },
    ];
  } else if (resource === "Groups") {
    valid = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: fx.groupName,
      externalId: "ext",
      members: [{ value: fx.userId }],
      entitlements: [{ value: "x" }],
    };
    schema = scimGroupRequest;
    fields = [
      ...common,
      { path: ["displayName"], kind: "string" },
      { path: ["members"], kind: "array" },
      { path: ["members", 0], kind: "object" },
      { path: ["members", 0, "value"], kind: "string" },
      { path: ["members", 0, "display"], kind: "string" },
    ];
  } else {
    valid = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
      applicationId: fx.appId,
      displayName: "BI SP",
      active: true,
      groups: [{ value: fx.groupId }],
    };
    schema = scimServicePrincipalRequest;
    fields = [
      ...common,
      { path: ["applicationId"], kind: "string" },
      { path: ["displayName"], kind: "string" },
      { path: ["active"], kind: "boolean" },
      { path: ["groups"], kind: "array" },
      { path: ["groups", 0, "value"], kind: "string" },
    ];
  }
  fields.push(...refs);
  const body = { valid, schema, strict: false, fields };
  const existing = [id];
  return [
    { method: "GET", pattern: base, path: base, badQuery: badScimListQuery },
    { method: "POST", pattern: base, path: base, body },
    { method: "GET", pattern: `${base}/:id`, path: `${base}/${id}`, missingPath: (s) => `${base}/${s}`, existing },
    {
      method: "PUT",
      pattern: `${base}/:id`,
      path: `${base}/${id}`,
      missingPath: (s) => `${base}/${s}`,
      existing,
      body,
    },
    {
      method: "PATCH",
      pattern: `${base}/:id`,
      path: `${base}/${id}`,
      missingPath: (s) => `${base}/${s}`,
      existing,
      body: {
        valid: {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: "replace", path: "displayName", value: resource === "Groups" ? fx.groupName : "Renamed" }],
        },
        schema: scimPatchRequest,
        strict: false,
        fields: [
          { path: ["schemas"], kind: "array" },
          { path: ["Operations"], kind: "array" },
          { path: ["Operations", 0], kind: "object" },
          { path: ["Operations", 0, "op"], kind: "string" },
          { path: ["Operations", 0, "path"], kind: "string" },
        ],
      },
    },
    { method: "DELETE", pattern: `${base}/:id`, path: `${base}/${id}`, missingPath: (s) => `${base}/${s}`, existing },
  ];
}

function routes(): RouteCase[] {
  return [
    {
      method: "POST",
      pattern: `${TOKEN}/create`,
      path: `${TOKEN}/create`,
      body: {
        valid: { lifetime_seconds: 3600, comment: "c" },
        schema: createTokenRequest,
        strict: true,
        fields: [
          { path: ["lifetime_seconds"], kind: "int" },
          { path: ["comment"], kind: "string" },
        ],
      },
    },
    { method: "GET", pattern: `${TOKEN}/list`, path: `${TOKEN}/list` },
    {
      method: "POST",
      pattern: `${TOKEN}/delete`,
      path: `${TOKEN}/delete`,
      body: {
        valid: { token_id: fx.tokenId },
        schema: deleteTokenRequest,
        strict: true,
        fields: [{ path: ["token_id"], kind: "string" }],
      },
    },
    {
      method: "POST",
      pattern: `${TM}/on-behalf-of/tokens`,
      path: `${TM}/on-behalf-of/tokens`,
      body: {
        valid: { application_id: fx.appId, lifetime_seconds: 60, comment: "bot" },
        schema: createOboTokenRequest,
        strict: true,
        fields: [
          { path: ["application_id"], kind: "string" },
          { path: ["user_name"], kind: "string" },
          { path: ["lifetime_seconds"], kind: "int" },
          { path: ["comment"], kind: "string" },
        ],
      },
    },
    { method: "GET", pattern: `${TM}/tokens`, path: `${TM}/tokens` },
    {
      method: "GET",
      pattern: `${TM}/tokens/:token_id`,
      path: `${TM}/tokens/${fx.tokenId}`,
      missingPath: (s) => `${TM}/tokens/${s}`,
      existing: [fx.tokenId],
    },
    {
      method: "DELETE",
      pattern: `${TM}/tokens/:token_id`,
      path: `${TM}/tokens/${fx.tokenId}`,
      missingPath: (s) => `${TM}/tokens/${s}`,
      existing: [fx.tokenId],
    },
    { method: "GET", pattern: `${SCIM}/Me`, path: `${SCIM}/Me` },
    ...scimRoutes("Users"),
    ...scimRoutes("Groups"),
    ...scimRoutes("ServicePrincipals"),
  ];
}

const DECLARED = [
  `POST ${TOKEN}/create`,
  `GET ${TOKEN}/list`,
  `POST ${TOKEN}/delete`,
  `POST ${TM}/on-behalf-of/tokens`,
  `GET ${TM}/tokens`,
  `GET ${TM}/tokens/:token_id`,
  `DELETE ${TM}/tokens/:token_id`,
  `GET ${SCIM}/Me`,
  ...["Users", "Groups", "ServicePrincipals"].flatMap((r) => [
    `GET ${SCIM}/${r}`,
    `POST ${SCIM}/${r}`,
    `GET ${SCIM}/${r}/:id`,
    `PUT ${SCIM}/${r}/:id`,
    `PATCH ${SCIM}/${r}/:id`,
    `DELETE ${SCIM}/${r}/:id`,
  ]),
];

let cases: RouteCase[] = [];

beforeAll(async () => {
  await warmUp();
  const token = await created("POST", `${TOKEN}/create`, { comment: "fixture" });
  fx.tokenId = token.token_info.token_id;
  const group = await created("POST", `${SCIM}/Groups`, { displayName: fx.groupName });
  fx.groupId = group.id;
  const user = await created("POST", `${SCIM}/Users`, { userName: fx.userName, groups: [{ value: fx.groupId }] });
  fx.userId = user.id;
  const sp = await created("POST", `${SCIM}/ServicePrincipals`, { displayName: "bi-sp" });
  fx.spId = sp.id;
  fx.appId = sp.applicationId;
  cases = routes();
});

describe("bad input: tokens, token management, SCIM", () => {
  badInputSuite(() => cases, DECLARED);

  it("refuses a body just over 1 MB with 413 RESOURCE_LIMIT_EXCEEDED, changing nothing", async () => {
    let state = await digest();
    state = await checkBadRequest(
      { method: "POST", path: `${TOKEN}/create`, body: JSON.stringify({ comment: "x".repeat(1024 * 1024) }) },
      { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
      state,
    );
    await checkBadRequest(
      {
        method: "POST",
        path: `${SCIM}/Users`,
        body: JSON.stringify({ userName: "big@example.com", pad: "x".repeat(1024 * 1024) }),
      },
      { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
      state,
    );
  });

  it("answers 404 for tokens and principals that do not exist, 409 for duplicates, changing nothing", async () => {
    let state = await digest();
    const checks: [string, string, unknown, number][] = [
      ["POST", `${TOKEN}/delete`, { token_id: "ffffffffffffffff" }, 404],
      ["POST", `${TM}/on-behalf-of/tokens`, { application_id: "no-such-app" }, 404],
      ["POST", `${TM}/on-behalf-of/tokens`, { user_name: "nobody@example.com" }, 404],
      ["POST", `${TM}/on-behalf-of/tokens`, { application_id: fx.appId, user_name: fx.userName }, 400],
      ["POST", `${TM}/on-behalf-of/tokens`, {}, 400],
      ["POST", `${TOKEN}/create`, { lifetime_seconds: -2 }, 400],
      ["POST", `${TOKEN}/create`, { lifetime_seconds: 1e12 }, 400],
      ["POST", `${SCIM}/Users`, { userName: fx.userName.toUpperCase() }, 409],
      ["POST", `${SCIM}/Groups`, { displayName: fx.groupName }, 409],
      [
        "POST",
        `${SCIM}/Users`,
        { userName: "new@example.com", groups: [{ value: "ffffffffffffffffffffffffffffffff" }] },
        400,
      ],
      ["POST", `${SCIM}/Groups`, { displayName: "g2", members: [{ value: "ffffffffffffffffffffffffffffffff" }] }, 400],
      ["POST", `${SCIM}/Users`, { userName: "   " }, 400],
    ];
    for (const [method, path, body, status] of checks) {
      state = await checkBadRequest(
        { method, path, body: JSON.stringify(body) },
        { statuses: [status === 400 ? 400 : status, ...(status === 400 ? [404] : [])] },
        state,
      );
    }
  });

  it("refuses changes that would break the built-in principals, changing nothing", async () => {
    let state = await digest();
    const patch = (Operations: unknown[]) => JSON.stringify({ schemas: [PATCH_SCHEMA], Operations });
    const checks: [string, string, string | undefined][] = [
      ["DELETE", `${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, undefined],
      ["DELETE", `${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`, undefined],
      ["DELETE", `${SCIM}/Users/${BOOTSTRAP_IDS.adminUser}`, undefined],
      ["PATCH", `${SCIM}/Users/${BOOTSTRAP_IDS.adminUser}`, patch([{ op: "replace", path: "active", value: false }])],
      ["PATCH", `${SCIM}/Users/${BOOTSTRAP_IDS.adminUser}`, patch([{ op: "remove", path: "groups" }])],
      ["PATCH", `${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, patch([{ op: "replace", path: "members", value: [] }])],
      [
        "PATCH",
        `${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`,
        patch([{ op: "replace", path: "displayName", value: "everyone" }]),
      ],
      ["PUT", `${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, JSON.stringify({ displayName: "root" })],
      [
        "PUT",
        `${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`,
        JSON.stringify({ displayName: "users", members: [{ value: fx.userId }] }),
      ],
    ];
    for (const [method, path, body] of checks)
      state = await checkBadRequest({ method, path, body }, { statuses: [400] }, state);
  });

  it("PATCH values of the wrong type for an attribute are 400 and change nothing", async () => {
    const attribute = fc.oneof(
      fc.tuple(
        fc.constantFrom("displayName", "userName", "externalId"),
        wrongValue("string").filter((v) => v !== null),
      ),
      fc.tuple(
        fc.constant("active"),
        wrongValue("boolean").filter((v) => !(typeof v === "string" && /^(true|false)$/i.test(v))),
      ),
      fc.tuple(
        fc.constant("groups"),
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.integer(), { minLength: 1 })),
      ),
    );
    const shape = fc.boolean();
    await assertBadRequests(
      fc.tuple(attribute, shape, fc.constantFrom("add", "replace", "Replace")),
      ([[path, value], withPath, op]) => ({
        method: "PATCH",
        path: `${SCIM}/Users/${fx.userId}`,
        body: JSON.stringify({
          schemas: [PATCH_SCHEMA],
          Operations: [withPath ? { op, path, value } : { op, value: { [path]: value } }],
        }),
      }),
      { statuses: [400], code: "INVALID_PARAMETER_VALUE" },
      40,
    );
  });

  it("SCIM filters with any value are answered (200 or 400), never a 5xx, changing nothing", async () => {
    const attribute = fc.constantFrom(
      "userName",
      "displayName",
      "id",
      "externalId",
      "active",
      "USERNAME",
      "applicationId",
    );
    const literal = fc.oneof(
      fc.string({ maxLength: 30 }).map((s) => JSON.stringify(s)),
      fc.constantFrom("true", "false", "null", "TRUE", '"\\u0000"', '"%"', `"' OR 1=1 --"`, '"\\"'),
    );
    await assertBadRequests(
      fc.tuple(
        fc.constantFrom("Users", "Groups", "ServicePrincipals"),
        attribute,
        fc.constantFrom("eq", "EQ", "Eq"),
        literal,
      ),
      ([resource, a, op, v]) => ({
        method: "GET",
        path: `${SCIM}/${resource}?filter=${encodeURIComponent(`${a} ${op} ${v}`)}`,
      }),
      { mayAccept: true },
      40,
    );
  });
});
