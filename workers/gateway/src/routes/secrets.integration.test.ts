import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase, secretAcls, secrets } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, call } from "../../test/client";
import { app } from "../app";
import { createServicePrincipalWithToken, createUserWithToken } from "../../test/principals";
import { createSystemScope, getSecretValue, putSecretValue } from "../secrets/store";

const db = openDatabase(env.DB);

/** Every response body any secrets route returned in this file, to prove no value ever leaks. */
const bodies: string[] = [];
/** Every value put in this file. */
const putValues: string[] = [];

async function api(method: string, path: string, options: { body?: unknown; token?: string | null } = {}) {
  const res = await call(method, `/api/2.0/secrets/${path}`, options);
  bodies.push(res.text);
  return res;
}

async function put(scope: string, key: string, value: string, token?: string) {
  putValues.push(value);
  return api("POST", "put", { body: { scope, key, string_value: value }, token });
}

let alice: { id: string; token: string }; // a plain user
let bob: { id: string; token: string }; // member of data-team
let carol: { id: string; token: string }; // a plain user with no grants
let robot: { id: string; token: string }; // service principal in data-team

beforeAll(async () => {
  alice = await createUserWithToken("alice@example.com");
  bob = await createUserWithToken("bob@example.com", ["data-team"]);
  carol = await createUserWithToken("carol@example.com");
  robot = await createServicePrincipalWithToken("0000-robot-app-id", ["data-team"]);
});

describe("POST /api/2.0/secrets/scopes/create", () => {
  it("creates a scope and gives the creator MANAGE as an ACL row", async () => {
    const res = await api("POST", "scopes/create", { body: { scope: "alice-scope" }, token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    const acls = await db.select().from(secretAcls).where(eq(secretAcls.scope, "alice-scope"));
    expect(acls).toEqual([{ scope: "alice-scope", principal: "alice@example.com", permission: "MANAGE" }]);
  });

  it("accepts DATABRICKS backend and initial_manage_principal users", async () => {
    const res = await api("POST", "scopes/create", {
      body: { scope: "shared.scope_1-x", scope_backend_type: "DATABRICKS", initial_manage_principal: "users" },
    });
    expect(res.status).toBe(200);
    const acls = await db.select().from(secretAcls).where(eq(secretAcls.scope, "shared.scope_1-x"));
    expect(acls.map((a) => [a.principal, a.permission]).sort()).toEqual([
      ["admin", "MANAGE"],
      ["users", "MANAGE"],
    ]);
  });

  it("answers 409 for a duplicate scope", async () => {
    const res = await api("POST", "scopes/create", { body: { scope: "alice-scope" }, token: carol.token });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "Scope alice-scope already exists",
    });
  });

  it("rejects bad names, unknown fields and unsupported options with 400", async () => {
    for (const body of [
      {},
      { scope: "" },
      { scope: "has space" },
      { scope: "slash/inside" },
      { scope: "x".repeat(129) },
      { scope: "ok", extra: 1 },
      { scope: "ok", initial_manage_principal: "alice@example.com" },
      {
        scope: "ok",
        scope_backend_type: "AZURE_KEYVAULT",
        backend_azure_keyvault: { resource_id: "r", dns_name: "d" },
      },
      { scope: "ok", scope_backend_type: "SOMETHING" },
    ]) {
      const res = await api("POST", "scopes/create", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const azure = await api("POST", "scopes/create", { body: { scope: "ok", scope_backend_type: "AZURE_KEYVAULT" } });
    expect(azure.json.message).toMatch(/not supported/);
    expect((await api("POST", "scopes/create", { body: { scope: "x".repeat(128) } })).status).toBe(200);
    expect((await api("GET", "scopes/list")).json.scopes.map((s: { name: string }) => s.name)).not.toContain("ok");
  });

  it("requires authentication", async () => {
    const res = await api("POST", "scopes/create", { body: { scope: "anon" }, token: null });
    expect(res.status).toBe(401);
  });
});

describe("GET /api/2.0/secrets/scopes/list", () => {
  beforeAll(async () => {
    await api("POST", "scopes/create", { body: { scope: "team-scope" } });
    await api("POST", "acls/put", { body: { scope: "team-scope", principal: "data-team", permission: "READ" } });
    await api("POST", "scopes/create", { body: { scope: "admin-only" } });
    await createSystemScope(db, "sys-endpoint-1", "endpoint-1", alice.id);
  });

  it("shows admins every user scope but never system scopes", async () => {
    const res = await api("GET", "scopes/list");
    expect(res.status).toBe(200);
    const names = res.json.scopes.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(["alice-scope", "team-scope", "admin-only", "shared.scope_1-x"]));
    expect(names).not.toContain("sys-endpoint-1");
    for (const s of res.json.scopes) expect(s).toEqual({ name: s.name, backend_type: "DATABRICKS" });
  });

  it("shows other callers only scopes they can read (own, group, users)", async () => {
    const names = async (token: string) =>
      (await api("GET", "scopes/list", { token })).json.scopes.map((s: { name: string }) => s.name).sort();
    expect(await names(alice.token)).toEqual(["alice-scope", "shared.scope_1-x"]);
    expect(await names(bob.token)).toEqual(["shared.scope_1-x", "team-scope"]);
    expect(await names(carol.token)).toEqual(["shared.scope_1-x"]);
    // "users" covers service principals too; data-team gives it team-scope.
    expect(await names(robot.token)).toEqual(["shared.scope_1-x", "team-scope"]);
  });

  it("rejects unknown query parameters", async () => {
    expect((await api("GET", "scopes/list?foo=1")).status).toBe(400);
  });
});

describe("POST /api/2.0/secrets/put", () => {
  it("stores a string value encrypted: the D1 row holds ciphertext, not the value", async () => {
    const res = await put("alice-scope", "openai_key", "sk-live-VERY-SECRET-1", alice.token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    const [row] = await db
      .select()
      .from(secrets)
      .where(and(eq(secrets.scope, "alice-scope"), eq(secrets.key, "openai_key")));
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain("sk-live-VERY-SECRET-1");
    expect(atob(row!.ciphertext)).not.toContain("sk-live-VERY-SECRET-1");
    expect(row!.ciphertext).not.toBe(btoa("sk-live-VERY-SECRET-1"));
    expect(await getSecretValue(db, env, "alice-scope", "openai_key")).toBe("sk-live-VERY-SECRET-1");
  });

  it("stores bytes_value and overwrites an existing key", async () => {
    putValues.push("bytes-SECRET-2");
    const res = await api("POST", "put", {
      body: { scope: "alice-scope", key: "openai_key", bytes_value: btoa("bytes-SECRET-2") },
      token: alice.token,
    });
    expect(res.status).toBe(200);
    expect(await getSecretValue(db, env, "alice-scope", "openai_key")).toBe("bytes-SECRET-2");
    expect(await db.select().from(secrets).where(eq(secrets.scope, "alice-scope"))).toHaveLength(1);
  });

  it("needs exactly one of string_value and bytes_value", async () => {
    for (const body of [
      { scope: "alice-scope", key: "k" },
      { scope: "alice-scope", key: "k", string_value: "a", bytes_value: "YQ==" },
    ]) {
      const res = await api("POST", "put", { body });
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("rejects bytes_value that is not base64", async () => {
    const res = await api("POST", "put", { body: { scope: "alice-scope", key: "k", bytes_value: "not base64!!" } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "bytes_value must be base64-encoded",
    });
  });

  it("rejects bad keys, unknown fields and values over 128 KB", async () => {
    for (const body of [
      { scope: "alice-scope", key: "bad key", string_value: "v" },
      { scope: "alice-scope", key: "x".repeat(129), string_value: "v" },
      { scope: "alice-scope", key: "k", string_value: "v", comment: "no" },
      { scope: "alice-scope", key: "k", string_value: 5 },
      { scope: "alice-scope", key: "k", string_value: "x".repeat(128 * 1024 + 1) },
      { scope: "alice-scope", key: "k", string_value: "é".repeat(64 * 1024 + 1) },
    ]) {
      const res = await api("POST", "put", { body });
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    expect((await put("alice-scope", "big", "x".repeat(128 * 1024))).status).toBe(200);
    expect(
      await db
        .select()
        .from(secrets)
        .where(and(eq(secrets.scope, "alice-scope"), eq(secrets.key, "k"))),
    ).toHaveLength(0);
  });

  it("answers 404 for a missing scope and for a system scope", async () => {
    await putSecretValue(db, env, "sys-endpoint-1", "openai_api_key", "sk-system-SECRET-3");
    putValues.push("sk-system-SECRET-3");
    for (const scope of ["missing-scope", "sys-endpoint-1"]) {
      const res = await put(scope, "k", "v-SECRET-4");
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: `Scope ${scope} does not exist`,
      });
    }
    expect(await getSecretValue(db, env, "sys-endpoint-1", "k")).toBeNull();
  });

  it("needs WRITE: READ is refused, WRITE through a group is enough", async () => {
    const denied = await put("team-scope", "k", "v-SECRET-5", bob.token);
    expect(denied.status).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");
    expect((await put("alice-scope", "k", "v-SECRET-5", carol.token)).status).toBe(403);
    await api("POST", "acls/put", { body: { scope: "team-scope", principal: "data-team", permission: "WRITE" } });
    expect((await put("team-scope", "k", "team-SECRET-6", bob.token)).status).toBe(200);
    expect((await put("team-scope", "k2", "team-SECRET-7", robot.token)).status).toBe(200);
  });

  it("allows at most 1000 secrets per scope (overwrites still work)", async () => {
    await api("POST", "scopes/create", { body: { scope: "full-scope" } });
    await env.DB.prepare(
      `INSERT INTO secrets (scope, key, ciphertext, iv)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
       SELECT 'full-scope', 'k' || i, 'x', 'x' FROM n`,
    ).run();
    const res = await put("full-scope", "one-more", "v-SECRET-8");
    expect(res.status).toBe(413);
    expect(res.json.error_code).toBe("RESOURCE_LIMIT_EXCEEDED");
    expect((await put("full-scope", "k1", "v-SECRET-9")).status).toBe(200);
  });
});

describe("GET /api/2.0/secrets/list", () => {
  it("lists keys and timestamps, never values", async () => {
    const before = Date.now();
    await put("alice-scope", "another", "another-SECRET-10", alice.token);
    const res = await api("GET", "list?scope=alice-scope", { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json.secrets.map((s: { key: string }) => s.key)).toEqual(["another", "big", "openai_key"]);
    for (const s of res.json.secrets) {
      expect(Object.keys(s).sort()).toEqual(["key", "last_updated_timestamp"]);
      expect(Number.isInteger(s.last_updated_timestamp)).toBe(true);
    }
    const another = res.json.secrets.find((s: { key: string }) => s.key === "another");
    expect(another.last_updated_timestamp).toBeGreaterThanOrEqual(before - 1000);
  });

  it("answers {secrets: []} for an empty scope", async () => {
    const res = await api("GET", "list?scope=admin-only");
    expect(res.json).toEqual({ secrets: [] });
  });

  it("needs READ; 404 for missing and system scopes; 400 without scope", async () => {
    expect((await api("GET", "list?scope=alice-scope", { token: carol.token })).status).toBe(403);
    expect((await api("GET", "list?scope=team-scope", { token: bob.token })).status).toBe(200);
    const missing = await api("GET", "list?scope=nope");
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe("Scope nope does not exist");
    expect((await api("GET", "list?scope=sys-endpoint-1")).status).toBe(404);
    expect((await api("GET", "list")).status).toBe(400);
    expect((await api("GET", "list?scope=alice-scope&extra=1")).status).toBe(400);
  });
});

describe("GET /api/2.0/secrets/get", () => {
  it("never returns a value, even to an admin or the scope owner", async () => {
    for (const token of [undefined, alice.token]) {
      const res = await api("GET", "get?scope=alice-scope&key=openai_key", { token });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({
        error_code: "PERMISSION_DENIED",
        message: "Secret values cannot be read through the API",
      });
    }
    expect((await api("GET", "get?scope=alice-scope")).status).toBe(400);
  });
});

describe("POST /api/2.0/secrets/delete", () => {
  it("deletes a secret with WRITE and answers 404 when it is gone", async () => {
    await put("alice-scope", "temp", "temp-SECRET-11", alice.token);
    expect(
      (await api("POST", "delete", { body: { scope: "alice-scope", key: "temp" }, token: carol.token })).status,
    ).toBe(403);
    const res = await api("POST", "delete", { body: { scope: "alice-scope", key: "temp" }, token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(await getSecretValue(db, env, "alice-scope", "temp")).toBeNull();
    const again = await api("POST", "delete", { body: { scope: "alice-scope", key: "temp" }, token: alice.token });
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Secret temp does not exist in scope alice-scope",
    });
    expect((await api("POST", "delete", { body: { scope: "nope", key: "temp" } })).status).toBe(404);
    expect((await api("POST", "delete", { body: { scope: "sys-endpoint-1", key: "openai_api_key" } })).status).toBe(
      404,
    );
    expect(await getSecretValue(db, env, "sys-endpoint-1", "openai_api_key")).toBe("sk-system-SECRET-3");
  });
});

describe("secret scope ACLs", () => {
  it("acls/put needs MANAGE and a known principal; acls/get and acls/list need READ", async () => {
    // carol has nothing on alice-scope yet.
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "carol@example.com", permission: "READ" },
          token: carol.token,
        })
      ).status,
    ).toBe(403);
    expect((await api("GET", "acls/list?scope=alice-scope", { token: carol.token })).status).toBe(403);

    const granted = await api("POST", "acls/put", {
      body: { scope: "alice-scope", principal: "carol@example.com", permission: "READ" },
      token: alice.token,
    });
    expect(granted.status).toBe(200);
    expect(granted.json).toEqual({});

    const got = await api("GET", "acls/get?scope=alice-scope&principal=carol@example.com", { token: carol.token });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ principal: "carol@example.com", permission: "READ" });

    const list = await api("GET", "acls/list?scope=alice-scope", { token: carol.token });
    expect(list.status).toBe(200);
    expect(list.json).toEqual({
      items: [
        { principal: "alice@example.com", permission: "MANAGE" },
        { principal: "carol@example.com", permission: "READ" },
      ],
    });

    // READ does not allow changing ACLs or writing.
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "carol@example.com", permission: "MANAGE" },
          token: carol.token,
        })
      ).status,
    ).toBe(403);
    expect((await put("alice-scope", "k", "v-SECRET-12", carol.token)).status).toBe(403);

    // Upgrading to WRITE lets carol put; MANAGE lets her manage ACLs.
    await api("POST", "acls/put", {
      body: { scope: "alice-scope", principal: "carol@example.com", permission: "WRITE" },
      token: alice.token,
    });
    expect((await put("alice-scope", "carols", "carol-SECRET-13", carol.token)).status).toBe(200);
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "data-team", permission: "READ" },
          token: carol.token,
        })
      ).status,
    ).toBe(403);
    await api("POST", "acls/put", {
      body: { scope: "alice-scope", principal: "carol@example.com", permission: "MANAGE" },
      token: alice.token,
    });
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "data-team", permission: "READ" },
          token: carol.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "0000-robot-app-id", permission: "WRITE" },
          token: carol.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "users", permission: "READ" },
          token: carol.token,
        })
      ).status,
    ).toBe(200);
  });

  it("rejects unknown principals, bad permissions and unknown fields", async () => {
    const unknown = await api("POST", "acls/put", {
      body: { scope: "alice-scope", principal: "ghost@example.com", permission: "READ" },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    for (const body of [
      { scope: "alice-scope", principal: "carol@example.com", permission: "OWNER" },
      { scope: "alice-scope", principal: "carol@example.com" },
      { scope: "alice-scope", principal: "", permission: "READ" },
      { scope: "alice-scope", principal: "carol@example.com", permission: "READ", extra: true },
    ]) {
      const res = await api("POST", "acls/put", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await api("POST", "acls/put", { body: { scope: "nope", principal: "users", permission: "READ" } })).status,
    ).toBe(404);
    expect(
      (await api("POST", "acls/put", { body: { scope: "sys-endpoint-1", principal: "users", permission: "READ" } }))
        .status,
    ).toBe(404);
    expect((await api("GET", "acls/list?scope=sys-endpoint-1")).status).toBe(404);
    expect((await api("GET", "acls/get?scope=alice-scope")).status).toBe(400);
  });

  it("acls/get answers 404 for a principal without an ACL", async () => {
    const res = await api("GET", "acls/get?scope=alice-scope&principal=bob@example.com");
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("acls/delete needs MANAGE, removes access, and answers 404 when already gone", async () => {
    expect(
      (await api("POST", "acls/delete", { body: { scope: "alice-scope", principal: "users" }, token: bob.token }))
        .status,
    ).toBe(403);
    expect(
      (await api("POST", "acls/delete", { body: { scope: "alice-scope", principal: "users" }, token: alice.token }))
        .status,
    ).toBe(200);
    expect(
      (await api("POST", "acls/delete", { body: { scope: "alice-scope", principal: "data-team" }, token: alice.token }))
        .status,
    ).toBe(200);
    expect((await api("GET", "list?scope=alice-scope", { token: bob.token })).status).toBe(403);
    const gone = await api("POST", "acls/delete", {
      body: { scope: "alice-scope", principal: "data-team" },
      token: alice.token,
    });
    expect(gone.status).toBe(404);
    expect((await api("POST", "acls/delete", { body: { scope: "sys-endpoint-1", principal: "users" } })).status).toBe(
      404,
    );
  });

  it("the creator keeps MANAGE even without an ACL row", async () => {
    expect(
      (
        await api("POST", "acls/delete", {
          body: { scope: "alice-scope", principal: "alice@example.com" },
          token: alice.token,
        })
      ).status,
    ).toBe(200);
    expect((await api("GET", "acls/list?scope=alice-scope", { token: alice.token })).status).toBe(200);
    expect(
      (
        await api("POST", "acls/put", {
          body: { scope: "alice-scope", principal: "alice@example.com", permission: "MANAGE" },
          token: alice.token,
        })
      ).status,
    ).toBe(200);
  });
});

describe("POST /api/2.0/secrets/scopes/delete", () => {
  it("needs MANAGE and removes the scope with its secrets and ACLs", async () => {
    const writer = await api("POST", "scopes/delete", { body: { scope: "team-scope" }, token: bob.token });
    expect(writer.status).toBe(403);
    expect((await api("POST", "scopes/delete", { body: { scope: "team-scope" }, token: carol.token })).status).toBe(
      403,
    );
    const res = await api("POST", "scopes/delete", { body: { scope: "team-scope" } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(await db.select().from(secrets).where(eq(secrets.scope, "team-scope"))).toHaveLength(0);
    expect(await db.select().from(secretAcls).where(eq(secretAcls.scope, "team-scope"))).toHaveLength(0);
    const again = await api("POST", "scopes/delete", { body: { scope: "team-scope" } });
    expect(again.status).toBe(404);
    expect(again.json.message).toBe("Scope team-scope does not exist");
  });

  it("cannot delete a system scope", async () => {
    expect((await api("POST", "scopes/delete", { body: { scope: "sys-endpoint-1" } })).status).toBe(404);
    expect(await getSecretValue(db, env, "sys-endpoint-1", "openai_api_key")).toBe("sk-system-SECRET-3");
  });

  it("the creator (a non-admin) may delete its own scope", async () => {
    await api("POST", "scopes/create", { body: { scope: "carol-temp" }, token: carol.token });
    expect((await api("POST", "scopes/delete", { body: { scope: "carol-temp" }, token: carol.token })).status).toBe(
      200,
    );
  });
});

describe("a misconfigured master key", () => {
  it("is a 500 naming neither key nor value, logged without them, storing nothing", async () => {
    const badKey = "this-is-not-a-valid-master-key-value";
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    putValues.push("mk-SECRET-14");
    const req = new Request("https://edgeserve.test/api/2.0/secrets/put", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ scope: "alice-scope", key: "misconfigured", string_value: "mk-SECRET-14" }),
    });
    const res = await app.fetch(req, { ...env, EDGESERVE_MASTER_KEY: badKey }, createExecutionContext());
    const text = await res.text();
    bodies.push(text);
    expect(res.status).toBe(500);
    expect(JSON.parse(text).error_code).toBe("INTERNAL_ERROR");
    expect(text).not.toContain(badKey);
    const logs = JSON.stringify(logged.mock.calls);
    logged.mockRestore();
    expect(logs).toContain("EDGESERVE_MASTER_KEY is invalid");
    expect(logs).not.toContain(badKey);
    expect(logs).not.toContain("mk-SECRET-14");
    expect(await db.select().from(secrets).where(eq(secrets.key, "misconfigured"))).toHaveLength(0);
  });
});

describe("no secret value ever leaves the API", () => {
  it("appears in no response body of any secrets route, in plain or base64 form", () => {
    expect(bodies.length).toBeGreaterThan(50);
    expect(putValues.length).toBeGreaterThan(5);
    const all = bodies.join("\n");
    for (const value of putValues) {
      if (value.length < 8) continue;
      expect(all).not.toContain(value);
      expect(all).not.toContain(btoa(value));
    }
    expect(all).not.toMatch(/SECRET-\d+/);
  });
});

describe("reserved scope names", () => {
  it("refuses user scopes named like an endpoint's own credential scope", async () => {
    const res = await call("POST", "/api/2.0/secrets/scopes/create", {
      body: { scope: "endpoint-0123456789abcdef0123456789abcdef" },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("reserved");
  });
});
