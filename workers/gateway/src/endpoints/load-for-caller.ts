import { type PermissionLevel, errors } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Principal } from "../identity/principal";
import { requireLevel } from "../permissions/endpoint-access";
import { type EndpointRow, aclOf, findEndpointByName } from "./store";
import type { Env } from "../env";
import { foundationEndpoint, readOnlyFoundationEndpoint } from "../foundation-models/foundation-endpoints";

export function endpointNotFound(name: string) {
  return errors.notFound(`Endpoint with name '${name}' not found.`);
}

/** Loads an endpoint by name for a control-plane call: 404 if missing, 403 below `needed`. */
export async function loadEndpointForCaller(
  env: Env,
  db: Database,
  principal: Principal,
  name: string,
  needed: PermissionLevel,
): Promise<{ row: EndpointRow; level: PermissionLevel }> {
  const foundation = foundationEndpoint(env, name);
  if (foundation) {
    const level = requireLevel(principal, foundation.acl, needed === "CAN_MANAGE" ? "CAN_VIEW" : needed, name);
    if (needed === "CAN_MANAGE") throw readOnlyFoundationEndpoint(name);
    return { row: foundation.row, level };
  }
  const row = await findEndpointByName(db, name);
  if (!row) throw endpointNotFound(name);
  const level = requireLevel(principal, await aclOf(db, row.id), needed, name);
  return { row, level };
}
