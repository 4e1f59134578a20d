import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_splitSqlQuery as splitSqlQuery } from "wrangler";

const migrationsDir = path.join(import.meta.dirname, "../migrations");

/** Every migration file, in the order wrangler applies them. */
export const migrations = readdirSync(migrationsDir)
  .filter((f) => f.endsWith(".sql"))
  .sort();

/** An empty D1 database on workerd (Miniflare) for migration tests, and how wrangler applies a migration file. */
export async function openMigrationTestDb() {
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    d1Databases: ["DB"],
    log: new Log(LogLevel.WARN),
  });
  const db = await mf.getD1Database("DB");
  /** Applies a migration file as wrangler does: split by its splitter, run as one batch (one transaction). */
  const apply = async (file: string) => {
    const statements = splitSqlQuery(readFileSync(path.join(migrationsDir, file), "utf8"));
    await db.batch(statements.map((s) => db.prepare(s)));
  };
  return { db, apply, dispose: () => mf.dispose() };
}
