import { errors } from "@edgeserve/api";
import { type Database, groupMembers, principals } from "@edgeserve/db";
import { type SQL, and, asc, count, eq, inArray, ne, sql } from "drizzle-orm";
import { BOOTSTRAP_IDS } from "../bootstrap";

export type PrincipalKind = "user" | "group" | "service_principal";
export type PrincipalRow = typeof principals.$inferSelect;

/**
 * A principal as PUT and PATCH edit it. `links` are principal ids: the groups a user or service
 * principal is a direct member of, or the members of a group. The implicit `users` group is never
 * among a user's links; the `users` group's links are all users.
 */
export interface PrincipalDraft {
  id: string;
  kind: PrincipalKind;
  name: string;
  displayName: string;
  active: boolean;
  externalId: string | null;
  links: Set<string>;
}

export interface LinkedPrincipal {
  id: string;
  kind: PrincipalKind;
  name: string;
  displayName: string;
}

/** D1 binds at most 100 parameters per statement. */
const MAX_IDS_PER_STATEMENT = 90;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Where `name` matches: user names (emails) compare case-insensitively, like Databricks'. */
function nameMatches(kind: PrincipalKind, name: string): SQL {
  return kind === "user" ? sql`lower(${principals.name}) = lower(${name})` : eq(principals.name, name);
}

export async function findRow(db: Database, kind: PrincipalKind, id: string): Promise<PrincipalRow | null> {
  const rows = await db
    .select()
    .from(principals)
    .where(and(eq(principals.kind, kind), eq(principals.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

export async function findRowByName(db: Database, kind: PrincipalKind, name: string): Promise<PrincipalRow | null> {
  const rows = await db
    .select()
    .from(principals)
    .where(and(eq(principals.kind, kind), nameMatches(kind, name)))
    .limit(1);
  return rows[0] ?? null;
}

/** The linked principals (groups of members, or members of groups) of each row, keyed by row id. */
export async function loadLinks(db: Database, rows: readonly PrincipalRow[]): Promise<Map<string, LinkedPrincipal[]>> {
  const out = new Map<string, LinkedPrincipal[]>(rows.map((r) => [r.id, []]));
  const linked = {
    id: principals.id,
    kind: principals.kind,
    name: principals.name,
    displayName: principals.displayName,
  };
  const groupIds = rows.filter((r) => r.kind === "group" && r.id !== BOOTSTRAP_IDS.usersGroup).map((r) => r.id);
  const memberIds = rows.filter((r) => r.kind !== "group").map((r) => r.id);
  for (const ids of chunks(groupIds, MAX_IDS_PER_STATEMENT)) {
    const found = await db
      .select({ owner: groupMembers.groupId, ...linked })
      .from(groupMembers)
      .innerJoin(principals, eq(groupMembers.memberId, principals.id))
      .where(inArray(groupMembers.groupId, ids))
      .orderBy(asc(principals.createdAt), asc(principals.id));
    for (const { owner, ...p } of found) out.get(owner)!.push(p);
  }
  for (const ids of chunks(memberIds, MAX_IDS_PER_STATEMENT)) {
    const found = await db
      .select({ owner: groupMembers.memberId, ...linked })
      .from(groupMembers)
      .innerJoin(principals, eq(groupMembers.groupId, principals.id))
      .where(and(inArray(groupMembers.memberId, ids), ne(groupMembers.groupId, BOOTSTRAP_IDS.usersGroup)))
      .orderBy(asc(principals.createdAt), asc(principals.id));
    for (const { owner, ...p } of found) out.get(owner)!.push(p);
  }
  if (rows.some((r) => r.id === BOOTSTRAP_IDS.usersGroup)) {
    const users = await db
      .select(linked)
      .from(principals)
      .where(eq(principals.kind, "user"))
      .orderBy(asc(principals.createdAt), asc(principals.id));
    out.set(BOOTSTRAP_IDS.usersGroup, users);
  }
  return out;
}

export function draftOf(row: PrincipalRow, links: readonly LinkedPrincipal[]): PrincipalDraft {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    displayName: row.displayName,
    active: row.active,
    externalId: row.externalId,
    links: new Set(links.map((l) => l.id)),
  };
}

/** One page of principals of a kind, oldest first. */
export async function listRows(
  db: Database,
  kind: PrincipalKind,
  where: SQL | undefined,
  offset: number,
  limit: number,
): Promise<{ total: number; rows: PrincipalRow[] }> {
  const condition = where ? and(eq(principals.kind, kind), where) : eq(principals.kind, kind);
  const [totals] = await db.select({ n: count() }).from(principals).where(condition);
  const rows =
    limit === 0
      ? []
      : await db
          .select()
          .from(principals)
          .where(condition)
          .orderBy(asc(principals.createdAt), asc(principals.id))
          .limit(limit)
          .offset(offset);
  return { total: totals?.n ?? 0, rows };
}

const KIND_LABEL: Record<PrincipalKind, (name: string) => string> = {
  user: (n) => `User with username ${n}`,
  group: (n) => `Group with name ${n}`,
  service_principal: (n) => `Service principal with application id ${n}`,
};

/** 409 RESOURCE_ALREADY_EXISTS when another principal of the kind has the name. */
async function checkNameFree(db: Database, draft: PrincipalDraft): Promise<void> {
  const rows = await db
    .select({ id: principals.id })
    .from(principals)
    .where(and(eq(principals.kind, draft.kind), nameMatches(draft.kind, draft.name), ne(principals.id, draft.id)))
    .limit(1);
  if (rows.length > 0) throw errors.alreadyExists(`${KIND_LABEL[draft.kind](draft.name)} already exists.`);
}

/** 400 when an added link does not exist or cannot be linked (only groups have members). */
async function checkNewLinks(db: Database, draft: PrincipalDraft, added: readonly string[]): Promise<void> {
  const found = new Map<string, PrincipalKind>();
  for (const ids of chunks(added, MAX_IDS_PER_STATEMENT)) {
    const rows = await db
      .select({ id: principals.id, kind: principals.kind })
      .from(principals)
      .where(inArray(principals.id, ids));
    for (const r of rows) found.set(r.id, r.kind);
  }
  for (const id of added) {
    const kind = found.get(id);
    if (draft.kind === "group") {
      if (id === draft.id) throw errors.invalid("A group cannot be a member of itself.");
      if (!kind) throw errors.invalid(`Member with id ${id} does not exist.`);
    } else if (kind !== "group") {
      throw errors.invalid(`Group with id ${id} does not exist.`);
    }
  }
}

/** Membership rows a draft's links stand for. */
function membershipRows(draft: PrincipalDraft, ids: readonly string[]) {
  return ids.map((id) =>
    draft.kind === "group" ? { groupId: draft.id, memberId: id } : { groupId: id, memberId: draft.id },
  );
}

/**
 * Creates (before = null) or updates a principal and its links in one batch, after checking the
 * name is free and the new links exist.
 */
export async function savePrincipal(db: Database, before: PrincipalDraft | null, after: PrincipalDraft): Promise<void> {
  if (after.kind !== "group") after.links.delete(BOOTSTRAP_IDS.usersGroup);
  const previous = before?.links ?? new Set<string>();
  const added = [...after.links].filter((id) => !previous.has(id));
  const removed = [...previous].filter((id) => !after.links.has(id));
  if (!before || before.name !== after.name) await checkNameFree(db, after);
  await checkNewLinks(db, after, added);

  const values = {
    name: after.name,
    displayName: after.displayName,
    active: after.active,
    externalId: after.externalId,
  };
  const statements = [
    before
      ? db.update(principals).set(values).where(eq(principals.id, after.id))
      : db.insert(principals).values({ id: after.id, kind: after.kind, ...values }),
  ];
  const linkColumn = after.kind === "group" ? groupMembers.memberId : groupMembers.groupId;
  const ownerColumn = after.kind === "group" ? groupMembers.groupId : groupMembers.memberId;
  const batch: Parameters<Database["batch"]>[0][number][] = [...statements];
  for (const ids of chunks(removed, MAX_IDS_PER_STATEMENT)) {
    batch.push(db.delete(groupMembers).where(and(eq(ownerColumn, after.id), inArray(linkColumn, ids))));
  }
  for (const rows of chunks(membershipRows(after, added), 45)) {
    batch.push(db.insert(groupMembers).values(rows).onConflictDoNothing());
  }
  try {
    await db.batch(batch as [(typeof batch)[number], ...(typeof batch)[number][]]);
  } catch (e) {
    if (e instanceof Error && /UNIQUE constraint failed/i.test(`${e.message} ${String(e.cause ?? "")}`)) {
      throw errors.alreadyExists(`${KIND_LABEL[after.kind](after.name)} already exists.`);
    }
    throw e;
  }
}

/** Deletes a principal; its memberships, tokens and endpoint grants go with it (foreign keys cascade). */
export async function deletePrincipal(db: Database, id: string): Promise<void> {
  await db.delete(principals).where(eq(principals.id, id));
}
