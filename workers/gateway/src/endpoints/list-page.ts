import type { PermissionLevel } from "@edgeserve/api";
import { type Database, endpoints } from "@edgeserve/db";
import { type SQL, and, gt, or, sql } from "drizzle-orm";
import type { Principal } from "../identity/principal";
import { effectiveLevel } from "../permissions/endpoint-access";
import { type EndpointRow, aclsOf } from "./store";

export interface VisibleEndpoint {
  row: EndpointRow;
  level: PermissionLevel;
}

/** The page token is the last name of the page, base64url: opaque to clients, stable across inserts. */
export function encodePageToken(lastName: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(lastName)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The name a page token resumes after, or null when it is not one this gateway made. */
export function decodePageToken(token: string): string | null {
  try {
    const binary = atob(token.replaceAll("-", "+").replaceAll("_", "/"));
    const name = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
    return name.length > 0 ? name : null;
  } catch {
    return null;
  }
}

/** `%` and `_` are LIKE wildcards: escaped, so a search matches its text literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function searchCondition(search: string | undefined): SQL | undefined {
  if (!search) return undefined;
  const pattern = containsPattern(search);
  // SQLite's LIKE is case-insensitive for ASCII.
  return or(
    sql`${endpoints.name} like ${pattern} escape '\\'`,
    sql`${endpoints.creator} like ${pattern} escape '\\'`,
    sql`${endpoints.task} like ${pattern} escape '\\'`,
  );
}

/**
 * Endpoints the principal may view, in name order: all of them (`pageSize` undefined) or one page after the
 * name `after`. Rows are read in batches of the page size (plus one, to know whether more follow) and
 * filtered by the caller's permissions, so an admin's page is one read and a user who sees few endpoints
 * reads on until the page is full or the table ends.
 */
export async function listVisibleEndpoints(
  db: Database,
  principal: Principal,
  options: { pageSize?: number; after?: string | null; search?: string },
): Promise<{ endpoints: VisibleEndpoint[]; lastName?: string }> {
  const visible: VisibleEndpoint[] = [];
  const want = options.pageSize === undefined ? Number.POSITIVE_INFINITY : options.pageSize + 1;
  const batch = options.pageSize === undefined ? undefined : options.pageSize + 1;
  let cursor = options.after ?? null;
  for (;;) {
    const where = and(cursor === null ? undefined : gt(endpoints.name, cursor), searchCondition(options.search));
    const query = db.select().from(endpoints).where(where).orderBy(endpoints.name);
    const rows = batch === undefined ? await query : await query.limit(batch);
    const acls = await aclsOf(
      db,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      const level = effectiveLevel(principal, acls.get(row.id) ?? []);
      if (!level) continue;
      visible.push({ row, level });
      if (visible.length === want) {
        // One more than the page: the page ends at the one before, and its name resumes the next page.
        const page = visible.slice(0, options.pageSize);
        return { endpoints: page, lastName: page[page.length - 1]!.row.name };
      }
    }
    if (batch === undefined || rows.length < batch) return { endpoints: visible };
    cursor = rows[rows.length - 1]!.name;
  }
}
