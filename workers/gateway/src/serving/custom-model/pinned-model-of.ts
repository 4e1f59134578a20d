import { endpoints } from "@edgeserve/db";
import { and, eq, sql } from "drizzle-orm";
import type { QueryContext } from "../query-context";
import { type PinnedModel, pinModelVersion } from "./pinned-model";

/**
 * The registry version a query runs: the one the deployment pinned. A config deployed before versions
 * were pinned (stored without `pinned_model`) is pinned by its first query and the pin is stored in D1,
 * so every isolate serves that version from then on, until the config changes, as if it had been
 * deployed with it.
 */
export async function pinnedModelOf(ctx: QueryContext): Promise<PinnedModel> {
  if (ctx.entity.pinned_model) return ctx.entity.pinned_model;
  const key = `pinned-model:${ctx.entity.name}`;
  let pinned = ctx.endpoint.memo.get(key) as PinnedModel | undefined;
  if (!pinned) {
    const resolved = await pinModelVersion(
      ctx.db,
      ctx.env.ARTIFACTS,
      ctx.entity.entity_name!,
      ctx.entity.entity_version,
    );
    pinned = await storePin(ctx, resolved);
    ctx.endpoint.memo.set(key, pinned);
  }
  return pinned;
}

/**
 * Writes the pin into the active config, unless another isolate pinned it first (or the config changed):
 * then the stored pin wins, so all isolates agree on one version.
 */
async function storePin(ctx: QueryContext, resolved: PinnedModel): Promise<PinnedModel> {
  const config = ctx.endpoint.config;
  const index = config?.served_entities.findIndex((e) => e.name === ctx.entity.name) ?? -1;
  if (!config || index < 0) return resolved;
  const path = `$.served_entities[${index}].pinned_model`;
  const where = and(
    eq(endpoints.id, ctx.endpoint.row.id),
    sql`json_extract(${endpoints.config}, '$.config_version') = ${config.config_version}`,
  );
  const stored = await ctx.db
    .update(endpoints)
    .set({ config: sql`json_set(${endpoints.config}, ${path}, json(${JSON.stringify(resolved)}))` })
    .where(and(where, sql`json_extract(${endpoints.config}, ${path}) IS NULL`))
    .returning({ id: endpoints.id });
  if (stored.length > 0) return resolved;
  const [row] = await ctx.db
    .select({ pin: sql<string | null>`json_extract(${endpoints.config}, ${path})` })
    .from(endpoints)
    .where(where);
  return row?.pin ? (JSON.parse(row.pin) as PinnedModel) : resolved;
}
