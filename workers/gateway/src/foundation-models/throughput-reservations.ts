import { type Database, throughputReservations as reservations } from "@edgeserve/db";
import { and, eq, ne, sql } from "drizzle-orm";
import type { StoredConfig } from "../endpoints/stored-config";
import type { Env } from "../env";
import { upstash } from "../rate-limits/limiters";
import { reservationsKey } from "../serving/foundation-model/token-budgets";
import { readOperatorConfig } from "./operator-config";
import { bandsOf } from "./provisioned-band";

/**
 * Reserves a band unless the model's other reservations plus it would exceed the capacity, in one statement:
 * D1 runs statements one at a time, so of two deployments racing for the last capacity, the second sees the
 * first's row in its SUM and writes nothing. Re-reserving (a retried deployment, a new config) replaces the
 * endpoint's own row, which is why the SUM leaves it out.
 */
function reserve(endpointId: string, model: string, tokensPerSecond: number, configVersion: number, capacity: number) {
  return sql`
    INSERT INTO throughput_reservations (endpoint_id, model, tokens_per_second, config_version)
    SELECT ${endpointId}, ${model}, ${tokensPerSecond}, ${configVersion}
    WHERE (SELECT COALESCE(SUM(tokens_per_second), 0) FROM throughput_reservations
           WHERE model = ${model} AND endpoint_id <> ${endpointId}) + ${tokensPerSecond} <= ${capacity}
    ON CONFLICT (endpoint_id, model) DO UPDATE SET
      tokens_per_second = excluded.tokens_per_second, config_version = excluded.config_version`;
}

/** Replaces a model's reservations hash in Redis with the rows D1 holds (the admission scripts read it). */
const MIRROR = `
redis.call("DEL", KEYS[1])
for i = 1, #ARGV, 2 do redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1]) end
return 0
`;

type Row = { model: string; tokensPerSecond: number };

function capacityOf(env: Env, model: string): number | undefined {
  const parsed = readOperatorConfig(env.EDGESERVE_FOUNDATION_MODELS);
  return "models" in parsed ? parsed.models[model]?.capacity_tokens_per_second : undefined;
}

function rowsOf(db: Database, endpointId: string): Promise<Row[]> {
  return db
    .select({ model: reservations.model, tokensPerSecond: reservations.tokensPerSecond })
    .from(reservations)
    .where(eq(reservations.endpointId, endpointId));
}

async function reservedByOthers(db: Database, model: string, endpointId: string): Promise<number> {
  const [row] = await db
    .select({ reserved: sql<number>`COALESCE(SUM(${reservations.tokensPerSecond}), 0)` })
    .from(reservations)
    .where(and(eq(reservations.model, model), ne(reservations.endpointId, endpointId)));
  return row?.reserved ?? 0;
}

/** Puts one model's row back as it was before this deployment (absent: deleted). */
async function restore(db: Database, endpointId: string, model: string, previous: Row | undefined): Promise<void> {
  const mine = and(eq(reservations.endpointId, endpointId), eq(reservations.model, model));
  if (previous) await db.update(reservations).set({ tokensPerSecond: previous.tokensPerSecond }).where(mine);
  else await db.delete(reservations).where(mine);
}

/**
 * Makes the endpoint's reservations those of a config being deployed: each model's band reserved (or the
 * reason it cannot be, naming the capacity, what others hold and what was asked; nothing then changes), the
 * bands of models the config no longer uses released, and the Redis mirror updated.
 */
export async function reserveThroughput(
  db: Database,
  env: Env,
  endpointId: string,
  configVersion: number,
  bands: ReadonlyMap<string, number>,
  say: (message: string) => void,
): Promise<{ problem: string } | null> {
  const previous = await rowsOf(db, endpointId);
  const done: string[] = [];
  for (const [model, tokensPerSecond] of bands) {
    const capacity = capacityOf(env, model);
    let problem: string | null = null;
    if (capacity === undefined)
      problem =
        `Cannot reserve ${tokensPerSecond} tokens/s of '${model}': the operator has configured no capacity for it ` +
        "(capacity_tokens_per_second in EDGESERVE_FOUNDATION_MODELS), so nothing can be provisioned on it.";
    else {
      const { meta } = await db.run(reserve(endpointId, model, tokensPerSecond, configVersion, capacity));
      if (meta.changes === 0) {
        const reserved = await reservedByOthers(db, model, endpointId);
        problem =
          `Cannot reserve ${tokensPerSecond} tokens/s of '${model}': its backend's capacity is ${capacity} tokens/s, ` +
          `${reserved} tokens/s of it reserved by other endpoints, so ${Math.max(0, capacity - reserved)} ` +
          "tokens/s are free. Ask for less, or free capacity by deleting or shrinking other provisioned endpoints.";
      } else say(`Reserved ${tokensPerSecond} tokens/s of '${model}' (backend capacity ${capacity} tokens/s).`);
    }
    if (problem) {
      for (const m of done)
        await restore(
          db,
          endpointId,
          m,
          previous.find((r) => r.model === m),
        );
      return { problem };
    }
    done.push(model);
  }
  const released = previous.filter((r) => !bands.has(r.model));
  for (const r of released) {
    await restore(db, endpointId, r.model, undefined);
    say(`Released the ${r.tokensPerSecond} tokens/s the previous config reserved on '${r.model}'.`);
  }
  await mirrorReservations(db, env, [...new Set([...bands.keys(), ...released.map((r) => r.model)])]);
  return null;
}

/**
 * Copies D1's reservations of these models to Redis, where admission reads them. Throws when Redis fails (a
 * deployment is then retried); without Upstash there is no admission to inform.
 */
async function mirrorReservations(db: Database, env: Env, models: readonly string[]): Promise<void> {
  const client = upstash(env);
  if (!client || models.length === 0) return;
  for (const model of models) {
    const rows = await db
      .select({ endpointId: reservations.endpointId, tokensPerSecond: reservations.tokensPerSecond })
      .from(reservations)
      .where(eq(reservations.model, model));
    await writeReservationsMirror(env, model, rows);
  }
}

/** Replaces Redis's copy of one model's reservations (endpoint id → tokens/s) with `rows`. */
export async function writeReservationsMirror(
  env: Env,
  model: string,
  rows: { endpointId: string; tokensPerSecond: number }[],
): Promise<void> {
  await upstash(env)?.eval(
    MIRROR,
    [reservationsKey(model)],
    rows.flatMap((r) => [r.endpointId, String(r.tokensPerSecond)]),
  );
}

/**
 * After an endpoint is deleted: its reservations went with its row (ON DELETE CASCADE), and Redis's copy
 * follows, so pay-per-token traffic gets the capacity back. A Redis failure is logged; the next deployment
 * on the model rewrites the copy.
 */
export async function releaseDeletedEndpoint(db: Database, env: Env, configs: (StoredConfig | null)[]): Promise<void> {
  const models = new Set(configs.flatMap((config) => [...bandsOf(config).keys()]));
  await mirrorReservations(db, env, [...models]).catch((e) =>
    console.error(JSON.stringify({ type: "throughput_mirror_error", message: e instanceof Error ? e.message : e })),
  );
}
