import { env } from "cloudflare:workers";
import { groupMembers, openDatabase, principals, tokens } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { ensureBootstrap } from "../src/identity/bootstrap";
import { hashToken, newTokenValue } from "../src/identity/token-hash";
import { newHexId } from "../src/ids";

/** Test helpers: non-admin callers, made by writing D1 rows directly (no SCIM or token API needed). */

async function ensureGroup(name: string): Promise<string> {
  const db = openDatabase(env.DB);
  const found = await db
    .select({ id: principals.id })
    .from(principals)
    .where(and(eq(principals.kind, "group"), eq(principals.name, name)))
    .limit(1);
  if (found[0]) return found[0].id;
  const id = newHexId();
  await db.insert(principals).values({ id, kind: "group", name, displayName: name });
  return id;
}

async function createWithToken(
  kind: "user" | "service_principal",
  name: string,
  groups: string[],
): Promise<{ id: string; token: string }> {
  const db = openDatabase(env.DB);
  // Built-in groups (admins, users) get their fixed ids, so joining "admins" here makes an admin.
  await ensureBootstrap(db);
  const id = newHexId();
  await db.insert(principals).values({ id, kind, name, displayName: name });
  for (const group of groups) {
    await db
      .insert(groupMembers)
      .values({ groupId: await ensureGroup(group), memberId: id })
      .onConflictDoNothing();
  }
  const token = newTokenValue();
  await db
    .insert(tokens)
    .values({ id: newHexId(), principalId: id, tokenHash: await hashToken(token), comment: "test" });
  return { id, token };
}

/** A user (member of `users` implicitly) plus a personal access token; groups are created if missing. */
export function createUserWithToken(name: string, groups: string[] = []): Promise<{ id: string; token: string }> {
  return createWithToken("user", name, groups);
}

/** A service principal named by its application id, plus a token; groups are created if missing. */
export function createServicePrincipalWithToken(
  appId: string,
  groups: string[] = [],
): Promise<{ id: string; token: string }> {
  return createWithToken("service_principal", appId, groups);
}
