import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations, openMigrationTestDb } from "./migration-test-db";

const TOTALS = "0003_count_usage_on_insert.sql";

let db: D1Database;
let apply: (file: string) => Promise<void>;
let dispose: () => Promise<void>;

const outcome = (id: string, entity: string, status: number, latencyMs: number) =>
  db
    .prepare(
      "INSERT INTO query_outcomes (id, request_id, endpoint_id, served_entity, status_code, " +
        "latency_ms, timestamp, usage_tracked) VALUES (?, ?, 'ep', ?, ?, ?, 0, 1) ON CONFLICT DO NOTHING",
    )
    .bind(id, id, entity, status, latencyMs);
const usage = (id: string, requestId: string, input: number, output: number) =>
  db
    .prepare(
      "INSERT INTO usage_records (id, request_id, served_entity, endpoint_id, " +
        "endpoint_name, timestamp, requester, requester_kind, stream, prompt_tokens, " +
        "completion_tokens, estimated, status, latency_ms) VALUES (?, ?, 'primary', " +
        "'ep', 'ep', 0, 'a', 'user', 0, ?, ?, 0, 200, 1) ON CONFLICT DO NOTHING",
    )
    .bind(id, requestId, input, output);

const totals = async () => ({
  outcomes: (
    await db
      .prepare(
        "SELECT served_entity, status_code, count, latency_sum_ms, le_5, le_100, " +
          "le_300000 FROM query_outcome_totals ORDER BY served_entity, status_code",
      )
      .all()
  ).results,
  tokens: (await db.prepare("SELECT served_entity, input_tokens, output_tokens FROM usage_token_totals").all()).results,
  trackedUsage: (
    await db.prepare("SELECT hour_start, requester, request_count, input_tokens FROM tracked_usage_by_hour").all()
  ).results,
});

beforeAll(async () => {
  ({ db, apply, dispose } = await openMigrationTestDb());
});
afterAll(() => dispose?.());

describe(`migration ${TOTALS}`, () => {
  it(
    "counts the rows stored before it, then every row inserted after " +
      "it exactly once (through wrangler's splitter, on workerd's D1)",
    async () => {
      expect(migrations).toContain(TOTALS);
      for (const file of migrations.filter((f) => f < TOTALS)) await apply(file);
      // u1 is the provider call of query "a" (its request id); "a" was tracked.
      await db.batch([
        outcome("a", "primary", 200, 3),
        outcome("b", "primary", 200, 120),
        outcome("c", "", 429, 1),
        usage("u1", "a", 10, 2),
      ]);

      await apply(TOTALS);
      expect(await totals()).toEqual({
        outcomes: [
          { served_entity: "", status_code: 429, count: 1, latency_sum_ms: 1, le_5: 1, le_100: 1, le_300000: 1 },
          {
            served_entity: "primary",
            status_code: 200,
            count: 2,
            latency_sum_ms: 123,
            le_5: 1,
            le_100: 1,
            le_300000: 2,
          },
        ],
        tokens: [{ served_entity: "primary", input_tokens: 10, output_tokens: 2 }],
        trackedUsage: [{ hour_start: 0, requester: "a", request_count: 1, input_tokens: 10 }],
      });

      // A redelivered row inserts nothing and so counts nothing; a new one counts once.
      await db.batch([
        outcome("a", "primary", 200, 3),
        outcome("d", "primary", 200, 400_000),
        usage("u1", "a", 10, 2),
        usage("u2", "d", 5, 1),
      ]);
      expect(await totals()).toEqual({
        outcomes: [
          { served_entity: "", status_code: 429, count: 1, latency_sum_ms: 1, le_5: 1, le_100: 1, le_300000: 1 },
          {
            served_entity: "primary",
            status_code: 200,
            count: 3,
            latency_sum_ms: 400_123,
            le_5: 1,
            le_100: 1,
            le_300000: 2,
          },
        ],
        tokens: [{ served_entity: "primary", input_tokens: 15, output_tokens: 3 }],
        trackedUsage: [{ hour_start: 0, requester: "a", request_count: 2, input_tokens: 15 }],
      });

      // Deleting raw rows (retention) leaves the totals as they are.
      await db.prepare("DELETE FROM query_outcomes").run();
      await db.prepare("DELETE FROM usage_records").run();
      expect((await totals()).outcomes).toHaveLength(2);
      expect((await totals()).tokens).toEqual([{ served_entity: "primary", input_tokens: 15, output_tokens: 3 }]);
      expect((await totals()).trackedUsage).toHaveLength(1);
    },
  );
});
