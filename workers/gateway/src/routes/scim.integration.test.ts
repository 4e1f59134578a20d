import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { BOOTSTRAP_IDS } from "../identity/bootstrap";
import { createGroup, createUser, uniqueName } from "../identity/scim/testing";

const SCIM = "/api/2.0/preview/scim/v2";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const patch = (path: string, Operations: unknown[], token?: string) =>
  call("PATCH", path, { body: { schemas: [PATCH_SCHEMA], Operations }, ...(token ? { token } : {}) });

describe("SCIM Users", () => {
  it("creates, reads, lists by filter, replaces and deletes a user", async () => {
    const userName = `${uniqueName("jane")}@example.com`;
    const created = await call("POST", `${SCIM}/Users`, {
      body: {
        schemas: [USER_SCHEMA],
        userName,
        displayName: "Jane Doe",
        entitlements: [{ value: "allow-cluster-create" }],
        nickName: "jd",
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      schemas: [USER_SCHEMA],
      id: expect.any(String),
      userName,
      displayName: "Jane Doe",
      active: true,
      emails: [{ value: userName, type: "work", primary: true }],
      groups: [],
    });
    const id = created.json.id;

    expect((await call("GET", `${SCIM}/Users/${id}`)).json).toEqual(created.json);

    const filtered = await call(
      "GET",
      `${SCIM}/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.json).toEqual({
      schemas: [LIST_SCHEMA],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
      Resources: [created.json],
    });
    const byDisplay = await call("GET", `${SCIM}/Users?filter=${encodeURIComponent('displayName EQ "Jane Doe"')}`);
    expect(byDisplay.json.Resources.map((u: { id: string }) => u.id)).toContain(id);

    const replaced = await call("PUT", `${SCIM}/Users/${id}`, {
      body: { userName, displayName: "Jane D.", externalId: "ext-1" },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ id, userName, displayName: "Jane D.", externalId: "ext-1", active: true });

    const deleted = await call("DELETE", `${SCIM}/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await call("GET", `${SCIM}/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await call("DELETE", `${SCIM}/Users/${id}`)).status).toBe(404);
    expect((await call("PUT", `${SCIM}/Users/${id}`, { body: { userName } })).status).toBe(404);
    expect((await patch(`${SCIM}/Users/${id}`, [{ op: "replace", path: "active", value: false }])).status).toBe(404);
  });

  it("answers 409 for a duplicate userName, whatever its case", async () => {
    const user = await createUser();
    const dup = await call("POST", `${SCIM}/Users`, { body: { userName: user.userName.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const other = await createUser();
    const rename = await call("PUT", `${SCIM}/Users/${other.id}`, { body: { userName: user.userName } });
    expect(rename.status).toBe(409);
  });

  it("deactivating a user stops their tokens; reactivating restores them; deleting removes them", async () => {
    const user = await createUser();
    expect((await call("GET", `${SCIM}/Me`, { token: user.token })).status).toBe(200);
    const off = await patch(`${SCIM}/Users/${user.id}`, [{ op: "Replace", path: "active", value: "False" }]);
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);
    expect((await call("GET", `${SCIM}/Me`, { token: user.token })).status).toBe(401);
    await patch(`${SCIM}/Users/${user.id}`, [{ op: "replace", value: { active: true } }]);
    expect((await call("GET", `${SCIM}/Me`, { token: user.token })).status).toBe(200);
    await call("DELETE", `${SCIM}/Users/${user.id}`);
    expect((await call("GET", `${SCIM}/Me`, { token: user.token })).status).toBe(401);
  });

  it("pages with startIndex and count", async () => {
    for (let i = 0; i < 3; i++) await createUser();
    const all = await call("GET", `${SCIM}/Users`);
    const total = all.json.totalResults;
    expect(total).toBeGreaterThanOrEqual(4); // admin + 3
    expect(all.json.Resources).toHaveLength(total);
    const page = await call("GET", `${SCIM}/Users?startIndex=2&count=2`);
    expect(page.json).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 2 });
    expect(page.json.Resources).toEqual(all.json.Resources.slice(1, 3));
    const past = await call("GET", `${SCIM}/Users?startIndex=${total + 1}`);
    expect(past.json).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
    const none = await call("GET", `${SCIM}/Users?count=0`);
    expect(none.json).toMatchObject({ totalResults: total, Resources: [] });
  });

  it("rejects unsupported filters and bad paging with 400", async () => {
    for (const filter of ['userName co "x"', 'nickName eq "x"', "userName eq", 'userName eq "x" and active eq true']) {
      const res = await call("GET", `${SCIM}/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message).toContain("filter");
    }
    const bad = await call("GET", `${SCIM}/Users?count=-1`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("count");
  });

  it("validates bodies, naming the field", async () => {
    const missing = await call("POST", `${SCIM}/Users`, { body: { displayName: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: expect.stringContaining("userName"),
    });
    const wrongType = await call("POST", `${SCIM}/Users`, {
      body: { userName: `${uniqueName("u")}@x.io`, active: "yes" },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.message).toContain("active");
    const badGroups = await call("POST", `${SCIM}/Users`, {
      body: { userName: `${uniqueName("u")}@x.io`, groups: [{ display: "x" }] },
    });
    expect(badGroups.status).toBe(400);
    expect(badGroups.json.message).toContain("groups[0].value");
    const unknownGroup = await call("POST", `${SCIM}/Users`, {
      body: { userName: `${uniqueName("u")}@x.io`, groups: [{ value: "nope" }] },
    });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.json.message).toContain("nope");
    const badJson = await call("POST", `${SCIM}/Users`, { body: "{" });
    expect(badJson.status).toBe(400);
  });

  it("answers /Me for the caller", async () => {
    const me = await call("GET", `${SCIM}/Me`);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: BOOTSTRAP_IDS.adminUser, userName: "admin", active: true });
    expect(me.json.groups).toEqual([
      { value: BOOTSTRAP_IDS.adminsGroup, display: "admins", $ref: `Groups/${BOOTSTRAP_IDS.adminsGroup}` },
    ]);
  });
});

describe("SCIM Groups", () => {
  it("creates a group with members and edits them with PatchOp", async () => {
    const a = await createUser();
    const b = await createUser();
    const c = await createUser();
    const name = uniqueName("data-science");
    const created = await call("POST", `${SCIM}/Groups`, { body: { displayName: name, members: [{ value: a.id }] } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      id: expect.any(String),
      displayName: name,
      members: [{ value: a.id, display: a.userName, $ref: `Users/${a.id}` }],
    });
    const id = created.json.id;
    const members = async () =>
      ((await call("GET", `${SCIM}/Groups/${id}`)).json.members as { value: string }[]).map((m) => m.value).sort();

    await patch(`${SCIM}/Groups/${id}`, [{ op: "add", path: "members", value: [{ value: b.id }, { value: c.id }] }]);
    expect(await members()).toEqual([a.id, b.id, c.id].sort());
    // The user side shows the membership too.
    const userB = await call("GET", `${SCIM}/Users/${b.id}`);
    expect(userB.json.groups).toEqual([{ value: id, display: name, $ref: `Groups/${id}` }]);

    await patch(`${SCIM}/Groups/${id}`, [{ op: "remove", path: `members[value eq "${a.id}"]` }]);
    expect(await members()).toEqual([b.id, c.id].sort());

    await patch(`${SCIM}/Groups/${id}`, [{ op: "Remove", path: "members", value: [{ value: b.id }] }]);
    expect(await members()).toEqual([c.id]);

    await patch(`${SCIM}/Groups/${id}`, [
      { op: "replace", path: "members", value: [{ value: a.id }, { value: b.id }] },
    ]);
    expect(await members()).toEqual([a.id, b.id].sort());

    // No path: the value's attributes are applied; several operations apply in order.
    const renamed = `${name}-2`;
    const res = await patch(`${SCIM}/Groups/${id}`, [
      { op: "add", value: { members: [{ value: c.id }] } },
      { op: "replace", value: { displayName: renamed } },
      { op: "remove", path: "members" },
      { op: "add", path: "members", value: { value: a.id } },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.displayName).toBe(renamed);
    expect(await members()).toEqual([a.id]);
  });

  it("filters by displayName and answers 409 for a duplicate name", async () => {
    const group = await createGroup();
    const found = await call(
      "GET",
      `${SCIM}/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`,
    );
    expect(found.json.totalResults).toBe(1);
    expect(found.json.Resources[0].id).toBe(group.id);
    const dup = await call("POST", `${SCIM}/Groups`, { body: { displayName: group.displayName } });
    expect(dup.status).toBe(409);
    expect(dup.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  it("PUT replaces the members", async () => {
    const a = await createUser();
    const group = await createGroup(undefined, [a.id]);
    const put = await call("PUT", `${SCIM}/Groups/${group.id}`, { body: { displayName: group.displayName } });
    expect(put.status).toBe(200);
    expect(put.json.members).toEqual([]);
  });

  it("rejects members that do not exist, the group itself, and bad PatchOps", async () => {
    const group = await createGroup();
    const unknown = await patch(`${SCIM}/Groups/${group.id}`, [
      { op: "add", path: "members", value: [{ value: "missing-id" }] },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toContain("missing-id");
    const self = await patch(`${SCIM}/Groups/${group.id}`, [
      { op: "add", path: "members", value: [{ value: group.id }] },
    ]);
    expect(self.status).toBe(400);
    const badOp = await patch(`${SCIM}/Groups/${group.id}`, [{ op: "move", path: "members" }]);
    expect(badOp.status).toBe(400);
    expect(badOp.json.message).toContain("Operations[0].op");
    const noOps = await call("PATCH", `${SCIM}/Groups/${group.id}`, { body: { schemas: [PATCH_SCHEMA] } });
    expect(noOps.status).toBe(400);
    expect(noOps.json.message).toContain("Operations");
    const badValue = await patch(`${SCIM}/Groups/${group.id}`, [{ op: "add", path: "members", value: "x" }]);
    expect(badValue.status).toBe(400);
    expect(badValue.json.message).toContain("Operations[0].value");
    const badPath = await patch(`${SCIM}/Groups/${group.id}`, [{ op: "replace", path: "color", value: "red" }]);
    expect(badPath.status).toBe(400);
    expect(badPath.json.message).toContain("color");
  });

  it("protects the built-in groups and the bootstrap admin", async () => {
    expect((await call("DELETE", `${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`)).status).toBe(400);
    expect((await call("DELETE", `${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`)).status).toBe(400);
    expect((await call("DELETE", `${SCIM}/Users/${BOOTSTRAP_IDS.adminUser}`)).status).toBe(400);
    const rename = await patch(`${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, [
      { op: "replace", path: "displayName", value: "root" },
    ]);
    expect(rename.status).toBe(400);
    const deactivate = await patch(`${SCIM}/Users/${BOOTSTRAP_IDS.adminUser}`, [
      { op: "replace", path: "active", value: false },
    ]);
    expect(deactivate.status).toBe(400);
    const demote = await patch(`${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, [{ op: "remove", path: "members" }]);
    expect(demote.status).toBe(400);
    expect((await call("GET", `${SCIM}/Me`)).status).toBe(200);
  });

  it("shows every user as a member of `users`, whose membership cannot change", async () => {
    const user = await createUser();
    const users = await call("GET", `${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`);
    expect(users.json.displayName).toBe("users");
    expect(users.json.members.map((m: { value: string }) => m.value)).toEqual(
      expect.arrayContaining([user.id, BOOTSTRAP_IDS.adminUser]),
    );
    const group = await createGroup();
    const add = await patch(`${SCIM}/Groups/${BOOTSTRAP_IDS.usersGroup}`, [
      { op: "add", path: "members", value: [{ value: group.id }] },
    ]);
    expect(add.status).toBe(400);
    // Naming `users` among a user's groups is a no-op.
    const put = await call("PUT", `${SCIM}/Users/${user.id}`, {
      body: { userName: user.userName, groups: [{ value: BOOTSTRAP_IDS.usersGroup }] },
    });
    expect(put.status).toBe(200);
    expect(put.json.groups).toEqual([]);
  });

  it("lets an admin promote a user by adding them to `admins`", async () => {
    const user = await createUser();
    expect(
      (await call("POST", `${SCIM}/Groups`, { token: user.token, body: { displayName: uniqueName("g") } })).status,
    ).toBe(403);
    await patch(`${SCIM}/Users/${user.id}`, [
      { op: "add", path: "groups", value: [{ value: BOOTSTRAP_IDS.adminsGroup }] },
    ]);
    expect(
      (await call("POST", `${SCIM}/Groups`, { token: user.token, body: { displayName: uniqueName("g") } })).status,
    ).toBe(201);
    await patch(`${SCIM}/Groups/${BOOTSTRAP_IDS.adminsGroup}`, [
      { op: "remove", path: `members[value eq "${user.id}"]` },
    ]);
    expect(
      (await call("POST", `${SCIM}/Groups`, { token: user.token, body: { displayName: uniqueName("g") } })).status,
    ).toBe(403);
  });
});

describe("SCIM at scale", () => {
  it("handles groups with more members than D1 binds parameters in one statement", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `bulk${i.toString().padStart(4, "0")}${uniqueName("x")}`);
    await env.DB.batch(
      ids.map((id) =>
        env.DB.prepare("INSERT INTO principals (id, kind, name, display_name) VALUES (?, 'user', ?, ?)").bind(
          id,
          `${id}@bulk.io`,
          id,
        ),
      ),
    );
    const group = await call("POST", `${SCIM}/Groups`, {
      body: { displayName: uniqueName("bulk"), members: ids.map((value) => ({ value })) },
    });
    expect(group.status).toBe(201);
    expect(group.json.members).toHaveLength(120);
    const users = await call("GET", `${SCIM}/Users?count=500`);
    const bulk = users.json.Resources.filter((u: { id: string }) => ids.includes(u.id));
    expect(bulk).toHaveLength(120);
    expect(bulk.every((u: { groups: unknown[] }) => u.groups.length === 1)).toBe(true);
    const replaced = await call("PATCH", `${SCIM}/Groups/${group.json.id}`, {
      body: { Operations: [{ op: "replace", path: "members", value: ids.slice(100).map((value) => ({ value })) }] },
    });
    expect(replaced.json.members).toHaveLength(20);
  });
});

describe("SCIM ServicePrincipals", () => {
  it("generates an applicationId, filters by it, and refuses to change it", async () => {
    const created = await call("POST", `${SCIM}/ServicePrincipals`, { body: { displayName: "etl" } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
      id: expect.any(String),
      applicationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      displayName: "etl",
      active: true,
      groups: [],
    });
    const { id, applicationId } = created.json;
    const found = await call(
      "GET",
      `${SCIM}/ServicePrincipals?filter=${encodeURIComponent(`applicationId eq "${applicationId}"`)}`,
    );
    expect(found.json.Resources).toEqual([created.json]);
    const change = await call("PUT", `${SCIM}/ServicePrincipals/${id}`, {
      body: { applicationId: "other", displayName: "etl" },
    });
    expect(change.status).toBe(400);
    expect(change.json.message).toContain("applicationId");
    const put = await call("PUT", `${SCIM}/ServicePrincipals/${id}`, {
      body: { displayName: "etl v2", active: false },
    });
    expect(put.json).toMatchObject({ applicationId, displayName: "etl v2", active: false });
    expect((await call("DELETE", `${SCIM}/ServicePrincipals/${id}`)).status).toBe(204);
    // Ids are per kind: a service principal is not a user.
    const group = await createGroup();
    expect((await call("GET", `${SCIM}/Users/${group.id}`)).status).toBe(404);
  });

  it("accepts a given applicationId and answers 409 for a duplicate", async () => {
    const applicationId = crypto.randomUUID();
    expect((await call("POST", `${SCIM}/ServicePrincipals`, { body: { applicationId } })).json).toMatchObject({
      applicationId,
      displayName: applicationId,
    });
    const dup = await call("POST", `${SCIM}/ServicePrincipals`, { body: { applicationId, displayName: "again" } });
    expect(dup.status).toBe(409);
    expect(dup.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });
});

describe("SCIM authorization", () => {
  it("lets any caller read but only admins write", async () => {
    const user = await createUser();
    const group = await createGroup();
    for (const path of ["/Users", "/Groups", "/ServicePrincipals", `/Users/${user.id}`, `/Groups/${group.id}`, "/Me"]) {
      expect((await call("GET", `${SCIM}${path}`, { token: user.token })).status, path).toBe(200);
    }
    const writes: [string, string, unknown][] = [
      ["POST", "/Users", { userName: "x@y.z" }],
      ["POST", "/Groups", { displayName: "x" }],
      ["POST", "/ServicePrincipals", { displayName: "x" }],
      ["PUT", `/Users/${user.id}`, { userName: user.userName, displayName: "hacked" }],
      ["PATCH", `/Groups/${group.id}`, { Operations: [{ op: "add", path: "members", value: [{ value: user.id }] }] }],
      [
        "PATCH",
        `/Users/${user.id}`,
        { Operations: [{ op: "add", path: "groups", value: [{ value: BOOTSTRAP_IDS.adminsGroup }] }] },
      ],
      ["DELETE", `/Groups/${group.id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(method, `${SCIM}${path}`, { token: user.token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error_code).toBe("PERMISSION_DENIED");
    }
    expect((await call("GET", `${SCIM}/Groups/${group.id}`)).json.members).toEqual([]);
    expect((await call("GET", `${SCIM}/Users`, { token: null })).status).toBe(401);
  });
});
