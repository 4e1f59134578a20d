import { type PermissionLevel, errors } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Principal } from "../identity/principal";
import { requireLevel } from "../permissions/endpoint-access";
import { type EndpointRow, aclOf, findEndpointByName } from "./store";

export function endpointNotFound(name: string) {
  return errors.notFound(`Endpoint with name '${name}' not found.`);
}

/** Loads an endpoint by name for a control-plane call: 404 if missing, 403 below `needed`. */
export async function loadEndpointForCaller(
  db: Database,
  principal: Principal,
  name: string,
  needed: PermissionLevel,
): Promise<{ row: EndpointRow; level: PermissionLevel }> {
  const row = await findEndpointByName(db, name);
  if (!row) throw endpointNotFound(name);
  const level = requireLevel(principal, await aclOf(db, row.id), needed, name);
  return { row, level };
}
