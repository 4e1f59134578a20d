import { type Database, groupMembers, principals } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { ADMINS_GROUP, type Principal, USERS_GROUP } from "./principal";

/** Loads a user or service principal with its (direct) groups; null if missing or inactive. */
export async function loadPrincipal(db: Database, principalId: string): Promise<Principal | null> {
  const rows = await db
    .select({
      id: principals.id,
      kind: principals.kind,
      name: principals.name,
      displayName: principals.displayName,
      active: principals.active,
    })
    .from(principals)
    .where(eq(principals.id, principalId))
    .limit(1);
  const row = rows[0];
  if (!row?.active || row.kind === "group") return null;
  const groups = await db
    .select({ id: principals.id, name: principals.name })
    .from(groupMembers)
    .innerJoin(principals, eq(groupMembers.groupId, principals.id))
    .where(eq(groupMembers.memberId, principalId));
  const groupNames = groups.map((g) => g.name);
  const groupIds = groups.map((g) => g.id);
  if (row.kind === "user" && !groupNames.includes(USERS_GROUP)) {
    const users = await db
      .select({ id: principals.id })
      .from(principals)
      .where(and(eq(principals.kind, "group"), eq(principals.name, USERS_GROUP)))
      .limit(1);
    groupNames.push(USERS_GROUP);
    if (users[0]) groupIds.push(users[0].id);
  }
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    displayName: row.displayName,
    groupIds,
    groupNames,
    isAdmin: groupNames.includes(ADMINS_GROUP),
  };
}
