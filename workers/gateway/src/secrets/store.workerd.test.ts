import { env } from "cloudflare:workers";
import { openDatabase, secretAcls, secretScopes, secrets } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Principal } from "../identity/principal";
import { SecretDecryptionError } from "./crypto";
import {
  canReadScope,
  createSystemScope,
  deleteEndpointSecrets,
  getSecretValue,
  putSecretValue,
  scopeExists,
} from "./store";

const db = openDatabase(env.DB);

function principal(name: string, extra: Partial<Principal> = {}): Principal {
  return {
    id: `id-${name}`,
    kind: "user",
    name,
    displayName: name,
    groupIds: [],
    groupNames: ["users"],
    isAdmin: false,
    ...extra,
  };
}

async function userScope(name: string, creatorId = "id-creator") {
  await db.insert(secretScopes).values({ name, creatorId });
}

describe("secret store", () => {
  it("encrypts on put, decrypts on get, and upserts", async () => {
    await userScope("store-a");
    await putSecretValue(db, env, "store-a", "k", "first-value");
    const [row] = await db.select().from(secrets).where(eq(secrets.scope, "store-a"));
    expect(row!.ciphertext).not.toContain("first-value");
    expect(atob(row!.ciphertext)).not.toContain("first-value");
    expect(await getSecretValue(db, env, "store-a", "k")).toBe("first-value");

    await putSecretValue(db, env, "store-a", "k", "second-value");
    expect(await getSecretValue(db, env, "store-a", "k")).toBe("second-value");
    expect(await db.select().from(secrets).where(eq(secrets.scope, "store-a"))).toHaveLength(1);
    expect(await getSecretValue(db, env, "store-a", "missing")).toBeNull();
  });

  it("refuses a ciphertext moved to another key", async () => {
    await userScope("store-b");
    await putSecretValue(db, env, "store-b", "one", "value-one");
    await putSecretValue(db, env, "store-b", "two", "value-two");
    const [one] = await db
      .select()
      .from(secrets)
      .where(and(eq(secrets.scope, "store-b"), eq(secrets.key, "one")));
    await db.update(secrets).set({ ciphertext: one!.ciphertext, iv: one!.iv }).where(eq(secrets.key, "two"));
    await expect(getSecretValue(db, env, "store-b", "two")).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it("creates system scopes idempotently and refuses a name owned by someone else", async () => {
    await createSystemScope(db, "sys-ep1", "ep1", "id-creator");
    await createSystemScope(db, "sys-ep1", "ep1", "id-creator");
    expect(await scopeExists(db, "sys-ep1")).toBe(true);
    await expect(createSystemScope(db, "sys-ep1", "ep2", "id-creator")).rejects.toMatchObject({
      code: "RESOURCE_CONFLICT",
    });
    await userScope("taken");
    await expect(createSystemScope(db, "taken", "ep1", "id-creator")).rejects.toMatchObject({
      code: "RESOURCE_CONFLICT",
    });
  });

  it("deletes only the scopes an endpoint owns, with their secrets", async () => {
    await createSystemScope(db, "sys-del-1", "ep-del", "id-creator");
    await createSystemScope(db, "sys-del-2", "ep-del", "id-creator");
    await createSystemScope(db, "sys-keep", "ep-keep", "id-creator");
    await userScope("user-keep");
    await putSecretValue(db, env, "sys-del-1", "openai_api_key", "sk-1");
    await putSecretValue(db, env, "sys-keep", "openai_api_key", "sk-2");
    await deleteEndpointSecrets(db, "ep-del");
    expect(await scopeExists(db, "sys-del-1")).toBe(false);
    expect(await scopeExists(db, "sys-del-2")).toBe(false);
    expect(await db.select().from(secrets).where(eq(secrets.scope, "sys-del-1"))).toHaveLength(0);
    expect(await getSecretValue(db, env, "sys-keep", "openai_api_key")).toBe("sk-2");
    expect(await scopeExists(db, "user-keep")).toBe(true);
    expect(await scopeExists(db, "nope")).toBe(false);
  });

  it("canReadScope: ACLs on the name, a group or users; admins; the creator", async () => {
    await userScope("acl-scope", "id-creator");
    await db.insert(secretAcls).values([
      { scope: "acl-scope", principal: "reader@example.com", permission: "READ" },
      { scope: "acl-scope", principal: "data-team", permission: "WRITE" },
    ]);
    expect(await canReadScope(db, principal("reader@example.com"), "acl-scope")).toBe(true);
    expect(
      await canReadScope(db, principal("member@example.com", { groupNames: ["users", "data-team"] }), "acl-scope"),
    ).toBe(true);
    expect(await canReadScope(db, principal("stranger@example.com"), "acl-scope")).toBe(false);
    expect(await canReadScope(db, principal("creator", { id: "id-creator" }), "acl-scope")).toBe(true);
    expect(
      await canReadScope(db, principal("boss", { isAdmin: true, groupNames: ["admins", "users"] }), "acl-scope"),
    ).toBe(true);
    expect(await canReadScope(db, principal("boss", { isAdmin: true }), "no-such-scope")).toBe(false);
    // A service principal has no implicit groups, but an ACL for "users" still covers it.
    const sp = principal("app-123", { kind: "service_principal", groupNames: [] });
    expect(await canReadScope(db, sp, "acl-scope")).toBe(false);
    await db.insert(secretAcls).values({ scope: "acl-scope", principal: "users", permission: "READ" });
    expect(await canReadScope(db, sp, "acl-scope")).toBe(true);
    expect(await canReadScope(db, principal("stranger@example.com"), "acl-scope")).toBe(true);
  });

  it("canReadScope: a system scope only for its owning endpoint, even for admins", async () => {
    await createSystemScope(db, "sys-read", "ep-owner", "id-creator");
    const admin = principal("boss", { isAdmin: true, groupNames: ["admins", "users"] });
    const creator = principal("creator", { id: "id-creator" });
    expect(await canReadScope(db, creator, "sys-read", "ep-owner")).toBe(true);
    expect(await canReadScope(db, creator, "sys-read")).toBe(false);
    expect(await canReadScope(db, admin, "sys-read")).toBe(false);
    expect(await canReadScope(db, admin, "sys-read", "ep-other")).toBe(false);
    await db.insert(secretAcls).values({ scope: "sys-read", principal: "users", permission: "MANAGE" });
    expect(await canReadScope(db, creator, "sys-read", "ep-other")).toBe(false);
  });
});
