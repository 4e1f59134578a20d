import type { QueryContext } from "../query-context";
import { type PinnedModel, pinModelVersion } from "./pinned-model";

/**
 * The registry version a query runs: the one the deployment pinned. A config deployed before versions
 * were pinned (stored without `pinned_model`) is pinned on its first query, once per config version
 * and isolate, and keeps that version there until the config changes.
 */
export async function pinnedModelOf(ctx: QueryContext): Promise<PinnedModel> {
  if (ctx.entity.pinned_model) return ctx.entity.pinned_model;
  const key = `pinned-model:${ctx.entity.name}`;
  let pinned = ctx.endpoint.memo.get(key) as PinnedModel | undefined;
  if (!pinned) {
    pinned = await pinModelVersion(ctx.db, ctx.env.ARTIFACTS, ctx.entity.entity_name!, ctx.entity.entity_version);
    ctx.endpoint.memo.set(key, pinned);
  }
  return pinned;
}
