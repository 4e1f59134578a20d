import { env } from "cloudflare:workers";
import { openDatabase } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { newHexId } from "../ids";
import { createGroup, createServicePrincipal, createUser, uniqueName } from "../identity/scim/testing";
import { grantLevel, loadEndpointAcl } from "../permissions/endpoint-acl-store";

const PERMS = "/api/2.0/permissions/serving-endpoints";
const SCIM = "/api/2.0/preview/scim/v2";
const ADMINS_INHERITED = {
  group_name: "admins",
  display_name: "admins",
  all_permissions: [
    { permission_level: "CAN_MANAGE", inherited: true, inherited_from_object: ["/serving-endpoints/"] },
  ],
};

/** An endpoint row inserted directly (the endpoint routes are not needed here), its creator holding CAN_MANAGE. */
async function insertEndpoint(creator: { id: string; userName: string }): Promise<string> {
  const id = newHexId();
  await env.DB.prepare("INSERT INTO endpoints (id, name, creator_id, creator) VALUES (?, ?, ?, ?)")
    .bind(id, uniqueName("ep"), creator.id, creator.userName)
    .run();
  await grantLevel(openDatabase(env.DB), id, creator.id, "CAN_MANAGE");
  return id;
}

const direct = (level: string) => [{ permission_level: level, inherited: false }];

describe("serving-endpoint permissions", () => {
  it("shows the creator and the inherited admins grant", async () => {
    const owner = await createUser();
    const id = await insertEndpoint(owner);
    const res = await call("GET", `${PERMS}/${id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      object_id: `/serving-endpoints/${id}`,
      object_type: "serving-endpoint",
      access_control_list: [
        { user_name: owner.userName, display_name: owner.userName, all_permissions: direct("CAN_MANAGE") },
        ADMINS_INHERITED,
      ],
    });
    const levels = await call("GET", `${PERMS}/${id}/permissionLevels`, { token: owner.token });
    expect(levels.status).toBe(200);
    expect(levels.json.permission_levels.map((l: { permission_level: string }) => l.permission_level)).toEqual([
      "CAN_VIEW",
      "CAN_QUERY",
      "CAN_MANAGE",
    ]);
    expect(levels.json.permission_levels.every((l: { description: string }) => l.description.length > 0)).toBe(true);
  });

  it("404s for an unknown endpoint id", async () => {
    for (const [method, path] of [
      ["GET", "/0123456789abcdef0123456789abcdef"],
      ["GET", "/0123456789abcdef0123456789abcdef/permissionLevels"],
      ["PUT", "/0123456789abcdef0123456789abcdef"],
      ["PATCH", "/0123456789abcdef0123456789abcdef"],
    ] as const) {
      const res = await call(method, `${PERMS}${path}`, {
        body: method === "GET" ? undefined : { access_control_list: [] },
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    }
  });

  it("grants access through group membership", async () => {
    const owner = await createUser();
    const member = await createUser();
    const id = await insertEndpoint(owner);
    const group = await createGroup(undefined, [member.id]);

    expect((await call("GET", `${PERMS}/${id}`, { token: member.token })).status).toBe(403);
    expect((await call("GET", `${PERMS}/${id}/permissionLevels`, { token: member.token })).status).toBe(403);

    const view = await call("PATCH", `${PERMS}/${id}`, {
      body: { access_control_list: [{ group_name: group.displayName, permission_level: "CAN_VIEW" }] },
    });
    expect(view.status).toBe(200);
    expect((await call("GET", `${PERMS}/${id}`, { token: member.token })).status).toBe(200);
    expect((await call("GET", `${PERMS}/${id}/permissionLevels`, { token: member.token })).status).toBe(200);
    const denied = await call("PATCH", `${PERMS}/${id}`, {
      token: member.token,
      body: { access_control_list: [{ user_name: member.userName, permission_level: "CAN_MANAGE" }] },
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");

    // The group's owner (the endpoint creator, with CAN_MANAGE) upgrades the group.
    const manage = await call("PATCH", `${PERMS}/${id}`, {
      token: owner.token,
      body: { access_control_list: [{ group_name: group.displayName, permission_level: "CAN_MANAGE" }] },
    });
    expect(manage.status).toBe(200);
    const allowed = await call("PATCH", `${PERMS}/${id}`, {
      token: member.token,
      body: { access_control_list: [{ user_name: member.userName, permission_level: "CAN_QUERY" }] },
    });
    expect(allowed.status).toBe(200);

    // Leaving the group takes the group's access away (the direct CAN_QUERY still gives CAN_VIEW).
    await call("PATCH", `${SCIM}/Groups/${group.id}`, {
      body: { Operations: [{ op: "remove", path: `members[value eq "${member.id}"]` }] },
    });
    expect((await call("PUT", `${PERMS}/${id}`, { token: member.token, body: {} })).status).toBe(403);
    expect((await call("GET", `${PERMS}/${id}`, { token: member.token })).status).toBe(200);

    // Deleting the group deletes its grant.
    await call("DELETE", `${SCIM}/Groups/${group.id}`);
    const acl = await loadEndpointAcl(openDatabase(env.DB), id);
    expect(acl.map((e) => e.principalId).sort()).toEqual([owner.id, member.id].sort());
  });

  it("grants the implicit `users` group to every user", async () => {
    const owner = await createUser();
    const other = await createUser();
    const id = await insertEndpoint(owner);
    expect((await call("GET", `${PERMS}/${id}`, { token: other.token })).status).toBe(403);
    await call("PATCH", `${PERMS}/${id}`, {
      body: { access_control_list: [{ group_name: "users", permission_level: "CAN_VIEW" }] },
    });
    expect((await call("GET", `${PERMS}/${id}`, { token: other.token })).status).toBe(200);
  });

  it("PATCH merges, PUT replaces, and the creator keeps CAN_MANAGE", async () => {
    const owner = await createUser();
    const alice = await createUser();
    const bob = await createUser();
    const sp = await createServicePrincipal();
    const id = await insertEndpoint(owner);

    await call("PATCH", `${PERMS}/${id}`, {
      body: { access_control_list: [{ user_name: alice.userName, permission_level: "CAN_QUERY" }] },
    });
    const merged = await call("PATCH", `${PERMS}/${id}`, {
      body: {
        access_control_list: [
          { user_name: bob.userName, permission_level: "CAN_VIEW" },
          { service_principal_name: sp.applicationId, permission_level: "CAN_QUERY" },
        ],
      },
    });
    expect(merged.status).toBe(200);
    expect(merged.json.access_control_list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_name: owner.userName, all_permissions: direct("CAN_MANAGE") }),
        expect.objectContaining({ user_name: alice.userName, all_permissions: direct("CAN_QUERY") }),
        expect.objectContaining({ user_name: bob.userName, all_permissions: direct("CAN_VIEW") }),
        expect.objectContaining({ service_principal_name: sp.applicationId, all_permissions: direct("CAN_QUERY") }),
        ADMINS_INHERITED,
      ]),
    );
    expect(merged.json.access_control_list).toHaveLength(5);

    // PATCH changes an existing principal's level.
    const changed = await call("PATCH", `${PERMS}/${id}`, {
      body: { access_control_list: [{ user_name: bob.userName, permission_level: "CAN_QUERY" }] },
    });
    expect(changed.json.access_control_list).toContainEqual(
      expect.objectContaining({ user_name: bob.userName, all_permissions: direct("CAN_QUERY") }),
    );

    // PUT replaces everything, but cannot take CAN_MANAGE from the creator.
    const replaced = await call("PUT", `${PERMS}/${id}`, {
      body: {
        access_control_list: [
          { user_name: alice.userName, permission_level: "CAN_VIEW" },
          { user_name: owner.userName, permission_level: "CAN_VIEW" },
        ],
      },
    });
    expect(replaced.status).toBe(200);
    // Users come first, by name.
    const users = [
      { user_name: alice.userName, display_name: alice.userName, all_permissions: direct("CAN_VIEW") },
      { user_name: owner.userName, display_name: owner.userName, all_permissions: direct("CAN_MANAGE") },
    ].sort((a, b) => a.user_name.localeCompare(b.user_name));
    expect(replaced.json.access_control_list).toEqual([...users, ADMINS_INHERITED]);
    expect((await call("GET", `${PERMS}/${id}`, { token: bob.token })).status).toBe(403);

    const emptied = await call("PUT", `${PERMS}/${id}`, { body: {} });
    expect(emptied.json.access_control_list).toEqual([
      { user_name: owner.userName, display_name: owner.userName, all_permissions: direct("CAN_MANAGE") },
      ADMINS_INHERITED,
    ]);
  });

  it("merges a direct admins grant with the inherited one, and takes the stronger of duplicate entries", async () => {
    const owner = await createUser();
    const alice = await createUser();
    const id = await insertEndpoint(owner);
    const res = await call("PUT", `${PERMS}/${id}`, {
      body: {
        access_control_list: [
          { group_name: "admins", permission_level: "CAN_QUERY" },
          { user_name: alice.userName, permission_level: "CAN_MANAGE" },
          { user_name: alice.userName.toUpperCase(), permission_level: "CAN_VIEW" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.access_control_list).toContainEqual({
      group_name: "admins",
      display_name: "admins",
      all_permissions: [
        { permission_level: "CAN_QUERY", inherited: false },
        { permission_level: "CAN_MANAGE", inherited: true, inherited_from_object: ["/serving-endpoints/"] },
      ],
    });
    expect(res.json.access_control_list).toContainEqual(
      expect.objectContaining({ user_name: alice.userName, all_permissions: direct("CAN_MANAGE") }),
    );
  });

  it("rejects unknown principals and malformed entries with 400 naming them, changing nothing", async () => {
    const owner = await createUser();
    const alice = await createUser();
    const id = await insertEndpoint(owner);
    const before = await call("GET", `${PERMS}/${id}`);

    const cases: [unknown, string][] = [
      [
        {
          access_control_list: [
            { user_name: alice.userName, permission_level: "CAN_VIEW" },
            { user_name: "ghost@example.com", permission_level: "CAN_VIEW" },
          ],
        },
        "access_control_list[1].user_name",
      ],
      [{ access_control_list: [{ group_name: "no-such-group", permission_level: "CAN_VIEW" }] }, "no-such-group"],
      [{ access_control_list: [{ service_principal_name: "no-such-sp", permission_level: "CAN_VIEW" }] }, "no-such-sp"],
      [
        { access_control_list: [{ user_name: alice.userName, permission_level: "CAN_OWN" }] },
        "access_control_list[0].permission_level",
      ],
      [{ access_control_list: [{ user_name: alice.userName }] }, "access_control_list[0].permission_level"],
      [
        { access_control_list: [{ user_name: alice.userName, group_name: "admins", permission_level: "CAN_VIEW" }] },
        "exactly one",
      ],
      [{ access_control_list: "all" }, "access_control_list"],
      [{ acl: [] }, "acl"],
      [{ serving_endpoint_id: "other", access_control_list: [] }, "serving_endpoint_id"],
    ];
    for (const method of ["PUT", "PATCH"]) {
      for (const [body, expected] of cases) {
        const res = await call(method, `${PERMS}/${id}`, { body });
        expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
        expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
        expect(res.json.message).toContain(expected);
      }
    }
    expect((await call("GET", `${PERMS}/${id}`)).json).toEqual(before.json);
  });
});

describe("endpoint ACL store", () => {
  it("grantLevel inserts or overwrites one principal's level", async () => {
    const owner = await createUser();
    const id = await insertEndpoint(owner);
    const db = openDatabase(env.DB);
    expect(await loadEndpointAcl(db, id)).toEqual([{ principalId: owner.id, level: "CAN_MANAGE" }]);
    await grantLevel(db, id, owner.id, "CAN_QUERY");
    expect(await loadEndpointAcl(db, id)).toEqual([{ principalId: owner.id, level: "CAN_QUERY" }]);
    expect(await loadEndpointAcl(db, "unknown")).toEqual([]);
  });
});
