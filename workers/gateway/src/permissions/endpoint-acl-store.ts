import type { PermissionLevel } from "@edgeserve/api";
import { type Database, endpointAcl } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import type { AclEntry } from "./endpoint-access";

/** The direct grants on one endpoint (what `effectiveLevel` / `requireLevel` take). */
export async function loadEndpointAcl(db: Database, endpointId: string): Promise<AclEntry[]> {
  return db
    .select({ principalId: endpointAcl.principalId, level: endpointAcl.level })
    .from(endpointAcl)
    .where(eq(endpointAcl.endpointId, endpointId));
}

/** The statement behind `grantLevel`, for callers that want it inside their own `db.batch([...])`. */
function grantLevelQuery(db: Database, endpointId: string, principalId: string, level: PermissionLevel) {
  return db
    .insert(endpointAcl)
    .values({ endpointId, principalId, level })
    .onConflictDoUpdate({ target: [endpointAcl.endpointId, endpointAcl.principalId], set: { level } });
}

/** Sets the principal's direct level on the endpoint (inserting or overwriting its row). */
export async function grantLevel(
  db: Database,
  endpointId: string,
  principalId: string,
  level: PermissionLevel,
): Promise<void> {
  await grantLevelQuery(db, endpointId, principalId, level);
}

/**
 * Replaces (mode "replace", the PUT semantics) or merges into (mode "merge", PATCH) the endpoint's
 * direct grants, in one batch so a failure leaves the old ACL intact.
 */
export async function writeEndpointAcl(
  db: Database,
  endpointId: string,
  entries: readonly AclEntry[],
  mode: "replace" | "merge",
): Promise<void> {
  const upserts = entries.map((e) => grantLevelQuery(db, endpointId, e.principalId, e.level));
  if (mode === "replace") {
    await db.batch([db.delete(endpointAcl).where(eq(endpointAcl.endpointId, endpointId)), ...upserts]);
  } else if (upserts.length > 0) {
    const [first, ...rest] = upserts;
    await db.batch([first!, ...rest]);
  }
}
