import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations, openMigrationTestDb } from "./migration-test-db";

const HISTORY = "0009_endpoint_config_versions.sql";

let db: D1Database;
let apply: (file: string) => Promise<void>;
let dispose: () => Promise<void>;

const endpoint = (id: string, config: unknown, pending: unknown, updatedAt: number) =>
  db
    .prepare(
      "INSERT INTO endpoints (id, name, creator_id, creator, config, pending_config, config_version, updated_at) " +
        "VALUES (?, ?, 'p', 'admin', ?, ?, 3, ?)",
    )
    .bind(id, `ep-${id}`, config === null ? null : JSON.stringify(config), JSON.stringify(pending), updatedAt);

beforeAll(async () => {
  ({ db, apply, dispose } = await openMigrationTestDb());
});
afterAll(() => dispose?.());

describe(`migration ${HISTORY}`, () => {
  it("starts each deployed endpoint's history with its active config, none for one never deployed", async () => {
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
