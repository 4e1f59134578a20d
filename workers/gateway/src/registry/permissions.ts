import { errors } from "@edgeserve/api";
import type { Principal } from "../identity/principal";
import type { ModelRow } from "./serialize";

/**
 * Registry permissions, kept simple: any authenticated principal reads and creates models;
 * changing a model (new versions, aliases, tags, rename, delete) is for its creator or an admin.
 */
export function requireModelOwner(principal: Principal, model: ModelRow): void {
  if (principal.isAdmin || principal.id === model.creatorId) return;
  throw errors.permissionDenied(
    `${principal.name} may not change registered model ${model.name}: only its creator or an admin can.`,
  );
}
