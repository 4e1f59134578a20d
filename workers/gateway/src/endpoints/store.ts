import { type Database, endpointAcl, endpoints } from "@edgeserve/db";
import type { PermissionLevel } from "@edgeserve/api";
import { eq, inArray } from "drizzle-orm";
import type { AclEntry } from "../permissions/endpoint-access";
import type { StoredConfig } from "./stored-config";

export type EndpointRow = typeof endpoints.$inferSelect;

export function storedConfig(row: EndpointRow): StoredConfig | null {
  return (row.config as StoredConfig | null) ?? null;
}
export function storedPendingConfig(row: EndpointRow): StoredConfig | null {
  return (row.pendingConfig as StoredConfig | null) ?? null;
}

export async function findEndpointByName(db: Database, name: string): Promise<EndpointRow | null> {
  const rows = await db.select().from(endpoints).where(eq(endpoints.name, name)).limit(1);
  return rows[0] ?? null;
}

export async function findEndpointById(db: Database, id: string): Promise<EndpointRow | null> {
  const rows = await db.select().from(endpoints).where(eq(endpoints.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function aclOf(db: Database, endpointId: string): Promise<AclEntry[]> {
  const rows = await db
    .select({ principalId: endpointAcl.principalId, level: endpointAcl.level })
    .from(endpointAcl)
    .where(eq(endpointAcl.endpointId, endpointId));
  return rows.map((r) => ({ principalId: r.principalId, level: r.level as PermissionLevel }));
}

/** ACLs of many endpoints at once, for listing. */
export async function aclsOf(db: Database, endpointIds: string[]): Promise<Map<string, AclEntry[]>> {
  const out = new Map<string, AclEntry[]>();
  if (endpointIds.length === 0) return out;
  for (let i = 0; i < endpointIds.length; i += 90) {
    const ids = endpointIds.slice(i, i + 90); // D1 caps bound parameters per statement at 100
    const rows = await db.select().from(endpointAcl).where(inArray(endpointAcl.endpointId, ids));
    for (const r of rows) {
      const list = out.get(r.endpointId) ?? [];
      list.push({ principalId: r.principalId, level: r.level as PermissionLevel });
      out.set(r.endpointId, list);
    }
  }
  return out;
}
