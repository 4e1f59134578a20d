import { env } from "cloudflare:workers";
import { openDatabase, queryOutcomes, usageRecords } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import type { UsageEvent } from "../serving/usage/usage-event";
import { d1UsageStore } from "../serving/usage/usage-store";
import { pruneUsageRows } from "./prune-usage-rows";

const db = openDatabase(env.DB);

function outcome(n: number, timestamp: number): UsageEvent {
  return {
    id: `q-${n}`,
    kind: "query",
    outcome: {
      requestId: `r-${n}`,
      timestamp,
      endpointId: "ep-prune",
      servedEntity: "primary",
      status: 200,
      latencyMs: 5,
      usageTracked: false,
    },
  };
}

describe("pruneUsageRows", () => {
  it(
    "deletes rows older than the cutoff, oldest first, a " +
      "bounded number of pages per run, and finishes in later runs",
    async () => {
      const cutoff = 1_700_000_000_000;
      // 25 rows before the cutoff (the newer rows written first, so row order is not time order), 5 at or after it.
      const old = Array.from({ length: 25 }, (_, n) => outcome(n, cutoff - 1 - n * 1000)).reverse();
      const kept = Array.from({ length: 5 }, (_, n) => outcome(100 + n, cutoff + n));
      await d1UsageStore(db).writeAll([...kept, ...old]);
      const ids = async () =>
        (await db.select({ id: queryOutcomes.id, timestamp: queryOutcomes.timestamp }).from(queryOutcomes))
          .sort((a, b) => a.timestamp - b.timestamp)
          .map((r) => r.id);

      const limits = { rowsPerPage: 4, maxPages: 3 };
      expect(await pruneUsageRows(env.DB, cutoff, limits)).toEqual({
        query_outcomes: { deleted: 12, done: false },
        usage_records: { deleted: 0, done: true },
      });
      // The 12 oldest went.
      expect(await ids()).toEqual([...old.slice(12).map((e) => e.id), ...kept.map((e) => e.id)]);
      expect(await pruneUsageRows(env.DB, cutoff, limits)).toEqual({
        query_outcomes: { deleted: 12, done: false },
        usage_records: { deleted: 0, done: true },
      });
      expect(await pruneUsageRows(env.DB, cutoff, limits)).toEqual({
        query_outcomes: { deleted: 1, done: true },
        usage_records: { deleted: 0, done: true },
      });
      expect(await ids()).toEqual(kept.map((e) => e.id));
      expect(await db.select().from(usageRecords)).toEqual([]);
    },
  );
});
