import type { Database } from "@edgeserve/db";
import type { Principal } from "../identity/principal";
import { requireModelOwner } from "./permissions";
import { findModel } from "./store";

/**
 * Writes under `models/<name>/…` (where the publish command puts a model's files) are for that
 * registered model's creator or an admin once the model exists; other paths are open to any caller.
 */
export async function requireArtifactWrite(db: Database, principal: Principal, path: string): Promise<void> {
  const match = /^models\/([^/]+)\//.exec(path);
  if (!match) return;
  const model = await findModel(db, match[1]!);
  if (model) requireModelOwner(principal, model);
}
