import { env } from "cloudflare:workers";
import { openDatabase } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import { pruneUsageRows } from "../../retention/prune-usage-rows";
import { readUsage } from "./read-usage";
import type { UsageEvent } from "./usage-event";
import { d1UsageStore } from "./usage-store";

const db = openDatabase(env.DB);
const store = d1UsageStore(db);
const HOUR = 3_600_000;
const MIN = 60_000;
/** The start of a UTC hour (2026-03-01T10:00Z). */
const H = Date.UTC(2026, 2, 1, 10);
const ep = "ep-usage-hours";

function outcome(id: string, requestId: string, at: number, usageTracked: boolean): UsageEvent {
  return {
    id,
    kind: "query",
    outcome: {
      requestId,
      timestamp: at,
      endpointId: ep,
      servedEntity: "primary",
      status: 200,
      latencyMs: 10,
      usageTracked,
    },
  };
}

function usage(
  id: string,
  requestId: string,
  at: number,
  requester: string,
  promptTokens: number,
  status = 200,
  estimated = false,
): UsageEvent {
  return {
    id,
    kind: "usage",
    record: {
      requestId,
      timestamp: at,
      endpointId: ep,
      endpointName: "usage-hours",
      servedEntity: "primary",
      requester,
      requesterKind: "user",
      task: "llm/v1/chat",
      provider: "custom",
      stream: false,
      promptTokens,
      completionTokens: 1,
      estimated,
      status,
      latencyMs: 10,
    },
  };
}

const total = (rows: Awaited<ReturnType<typeof readUsage>>) => rows.reduce((n, r) => n + r.request_count, 0);

describe("readUsage", () => {
  it(
    "counts each tracked provider call once, whichever of its " +
      "two events lands first, from hourly rows and raw rows alike",
    async () => {
      const events = {
        // Outcome first, its usage in a later write.
        r1: [outcome("o1", "r1", H + 10 * MIN, true), usage("u1", "r1", H + 10 * MIN, "alice", 10)],
        // Usage first, its outcome later.
        r2: [usage("u2", "r2", H + 30 * MIN, "alice", 20, 502), outcome("o2", "r2", H + 30 * MIN, true)],
        // Not tracked: never counted.
        r3: [outcome("o3", "r3", H + 35 * MIN, false), usage("u3", "r3", H + 35 * MIN, "alice", 40)],
        // Two queries sharing a caller-chosen request id: two calls, each counted once.
        dup: [
          outcome("o4", "dup", H + 50 * MIN, true),
          usage("u4", "dup", H + 50 * MIN, "bob", 80, 200, true),
          outcome("o5", "dup", H + 51 * MIN, true),
          usage("u5", "dup", H + 51 * MIN, "bob", 160),
        ],
        // The next hour.
        r6: [outcome("o6", "r6", H + HOUR + 5 * MIN, true), usage("u6", "r6", H + HOUR + 5 * MIN, "bob", 320)],
      };
      await store.writeAll([events.r1[0]!, events.r2[0]!, events.r3[0]!, events.dup[0]!]);
      await store.writeAll([events.r1[1]!, events.r2[1]!, events.r3[1]!, events.dup[1]!, events.dup[2]!, ...events.r6]);
      await store.writeAll([events.dup[3]!]);
      // The queue redelivers all of it: nothing changes.
      await store.writeAll(Object.values(events).flat());

      const twoHours = await readUsage(db, ep, H, H + 2 * HOUR, "user");
      expect(twoHours).toEqual([
        {
          group: "alice",
          request_count: 2,
          error_count: 1,
          input_tokens: 30,
          output_tokens: 2,
          total_tokens: 32,
          estimated_count: 0,
        },
        {
          group: "bob",
          request_count: 3,
          error_count: 0,
          input_tokens: 560,
          output_tokens: 3,
          total_tokens: 563,
          estimated_count: 1,
        },
      ]);
      // Millisecond bounds inside an hour come from the raw rows: from 10:20 on, r1 (10:10) is out.
      expect(total(await readUsage(db, ep, H + 20 * MIN, H + 2 * HOUR, "user"))).toBe(4);
      expect(total(await readUsage(db, ep, H + 20 * MIN, H + 50 * MIN + 1, "user"))).toBe(2);
      expect(total(await readUsage(db, ep, H + 10 * MIN, H + 10 * MIN + 1, "user"))).toBe(1);
      expect(total(await readUsage(db, ep, H + 10 * MIN + 1, H + HOUR + 5 * MIN, "user"))).toBe(3);
      expect(await readUsage(db, ep, H, H + 2 * HOUR, "day")).toEqual([
        {
          group: "2026-03-01",
          request_count: 5,
          error_count: 1,
          input_tokens: 590,
          output_tokens: 5,
          total_tokens: 595,
          estimated_count: 1,
        },
      ]);
      expect(await readUsage(db, ep, H - 24 * HOUR, H + 24 * HOUR, "served_entity")).toEqual([
        {
          ...twoHours[0]!,
          group: "primary",
          request_count: 5,
          error_count: 1,
          input_tokens: 590,
          output_tokens: 5,
          total_tokens: 595,
          estimated_count: 1,
        },
      ]);

      // Retention deletes the raw rows: whole hours are still reported, partial hours no longer.
      await pruneUsageRows(env.DB, H + 3 * HOUR);
      expect(total(await readUsage(db, ep, H, H + 2 * HOUR, "user"))).toBe(5);
      expect(total(await readUsage(db, ep, H + 20 * MIN, H + 2 * HOUR, "user"))).toBe(1);
    },
  );
});
