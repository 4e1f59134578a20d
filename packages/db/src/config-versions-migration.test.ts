import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_splitSqlQuery as splitSqlQuery } from "wrangler";

const migrationsDir = path.join(import.meta.dirname, "../migrations");
const migrations = readdirSync(migrationsDir)
  .filter((f) => f.endsWith(".sql"))
  .sort();
const HISTORY = "0009_endpoint_config_versions.sql";

let mf: Miniflare;
let db: D1Database;

/** Applies a migration file as wrangler does: split by its splitter, run as one batch (one transaction). */
async function apply(file: string) {
  const statements = splitSqlQuery(readFileSync(path.join(migrationsDir, file), "utf8"));
  await db.batch(statements.map((s) => db.prepare(s)));
}

const endpoint = (id: string, config: unknown, pending: unknown, updatedAt: number) =>
  db
    .prepare(
      "INSERT INTO endpoints (id, name, creator_id, creator, config, pending_config, config_version, updated_at) VALUES (?, ?, 'p', 'admin', ?, ?, 3, ?)",
    )
    .bind(id, `ep-${id}`, config === null ? null : JSON.stringify(config), JSON.stringify(pending), updatedAt);

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: ["DB"], log: new Log(LogLevel.WARN) });
  db = await mf.getD1Database("DB");
});
afterAll(() => mf?.dispose());

describe(`migration ${HISTORY}`, () => {
  it("starts each deployed endpoint's history with its active config, and no history for one never deployed", async () => {
    expect(migrations).toContain(HISTORY);
    for (const file of migrations.filter((f) => f < HISTORY)) await apply(file);
    const live = { served_entities: [{ name: "primary" }], traffic_config: { routes: [] }, config_version: 2 };
    const deploying = { ...live, config_version: 3 };
    await db.batch([endpoint("a", live, deploying, 1000), endpoint("b", null, deploying, 2000)]);

    await apply(HISTORY);
    const rows = await db
      .prepare("SELECT endpoint_id, config_version, config, promoted_at FROM endpoint_config_versions")
      .all();
    expect(rows.results).toEqual([
      { endpoint_id: "a", config_version: 2, config: JSON.stringify(live), promoted_at: 1000 },
    ]);
    // Deleted with its endpoint.
    await db.prepare("DELETE FROM endpoints WHERE id = 'a'").run();
    expect((await db.prepare("SELECT count(*) AS n FROM endpoint_config_versions").first())?.n).toBe(0);
  });
});
