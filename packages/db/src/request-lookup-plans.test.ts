import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations, openMigrationTestDb } from "./migration-test-db";

// The usage triggers (0003) and the usage API look a request up in query_outcomes and usage_records by request id
// and endpoint, once per usage row. With an index on the request id alone, SQLite picked the endpoint-and-time
// index of 0007 for query_outcomes and scanned the endpoint's whole history per lookup: the logging pipeline spent
// minutes of CPU per 40 000 queries. These are the plans of those lookups as the triggers and readUsage write them.
const LOOKUPS = {
  query_outcomes: "SELECT 1 FROM query_outcomes q WHERE q.request_id = ? AND q.endpoint_id = ? AND q.usage_tracked = 1",
  usage_records: "SELECT u.timestamp, u.requester FROM usage_records u WHERE u.request_id = ? AND u.endpoint_id = ?",
};

let db: D1Database;
let dispose: () => Promise<void>;

beforeAll(async () => {
  let apply: (file: string) => Promise<void>;
  ({ db, apply, dispose } = await openMigrationTestDb());
  for (const file of migrations) await apply(file);
});
afterAll(() => dispose?.());

const planOf = async (statement: string) => {
  const { results } = await db.prepare(`EXPLAIN QUERY PLAN ${statement}`).bind("request", "endpoint").all();
  return results.map((row) => String(row.detail)).join("\n");
};

describe("lookups of a request's rows", () => {
  for (const [table, statement] of Object.entries(LOOKUPS)) {
    it(`search ${table} by request id and endpoint, not by the endpoint's history`, async () => {
      const alias = table === "query_outcomes" ? "q" : "u";
      expect(await planOf(statement)).toBe(
        `SEARCH ${alias} USING INDEX ${table}_request (request_id=? AND endpoint_id=?)`,
      );
    });
  }
});
