import { errors } from "@edgeserve/api";
import type { Principal } from "../principal";

/** 403 PERMISSION_DENIED unless the caller is in `admins` (identity writes are admin-only, as in Databricks). */
export function requireAdmin(principal: Principal, action: string): void {
  if (!principal.isAdmin) throw errors.permissionDenied(`Only workspace admins can ${action}.`);
}
