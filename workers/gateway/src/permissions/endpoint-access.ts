import { type PermissionLevel, errors, permissionRank } from "@edgeserve/api";
import type { Principal } from "../identity/principal";

export interface AclEntry {
  principalId: string;
  level: PermissionLevel;
}

/** The strongest level any of the caller's own or group grants gives; admins have CAN_MANAGE. */
/** An ACL principal that is every workspace identity, users and service principals alike (foundation endpoints). */
export const EVERY_IDENTITY = "*";

export function effectiveLevel(principal: Principal, acl: readonly AclEntry[]): PermissionLevel | null {
  if (principal.isAdmin) return "CAN_MANAGE";
  let best: PermissionLevel | null = null;
  for (const entry of acl) {
    const mine = entry.principalId === principal.id || principal.groupIds.includes(entry.principalId);
    if (mine || entry.principalId === EVERY_IDENTITY) {
      if (permissionRank(entry.level) > permissionRank(best)) best = entry.level;
    }
  }
  return best;
}

/** 403 PERMISSION_DENIED unless the caller holds `needed` (or stronger) on the endpoint. */
export function requireLevel(
  principal: Principal,
  acl: readonly AclEntry[],
  needed: PermissionLevel,
  endpointName: string,
): PermissionLevel {
  const level = effectiveLevel(principal, acl);
  if (permissionRank(level) < permissionRank(needed)) {
    throw errors.permissionDenied(
      `User '${principal.name}' does not have ${needed} permission on serving endpoint '${endpointName}'.`,
    );
  }
  return level!;
}
