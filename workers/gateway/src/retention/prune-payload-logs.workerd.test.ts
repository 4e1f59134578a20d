import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { prunePayloadLogs } from "./prune-payload-logs";

const DAY = 86_400_000;
const now = Date.now();
const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);

async function put(keys: string[]) {
  for (let i = 0; i < keys.length; i += 50)
    await Promise.all(keys.slice(i, i + 50).map((key) => env.ARTIFACTS.put(key, "x")));
}

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.ARTIFACTS.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

beforeEach(async () => {
  for (;;) {
    const { objects } = await env.ARTIFACTS.list();
    if (objects.length === 0) return;
    await env.ARTIFACTS.delete(objects.map((o) => o.key));
  }
});

describe("prunePayloadLogs", () => {
  it("keeps a partition until its whole UTC day is past the cutoff", async () => {
    const cutoff = now - 30 * DAY;
    const cutoffDay = new Date(cutoff).toISOString().slice(0, 10);
    const dayBefore = new Date(cutoff - DAY).toISOString().slice(0, 10);
    await put([`payload-logs/ep/date=${cutoffDay}/a.jsonl.gz`, `payload-logs/ep/date=${dayBefore}/b.jsonl.gz`]);
    expect(await prunePayloadLogs(env.ARTIFACTS, cutoff)).toEqual({
      partitionsDeleted: 1,
      objectsDeleted: 1,
      done: true,
    });
    expect(await allKeys()).toEqual([`payload-logs/ep/date=${cutoffDay}/a.jsonl.gz`]);
  });

  it("deletes staged records uploaded before the cutoff only", async () => {
    await put(["payload-logs/_staged/1-r1-x.json", "payload-logs/_staged/2-r2-y.json"]);
    // Uploaded just now: younger than any retention (at least a day), so in flight and kept.
    expect(await prunePayloadLogs(env.ARTIFACTS, now - DAY)).toEqual({
      partitionsDeleted: 0,
      objectsDeleted: 0,
      done: true,
    });
    expect(await allKeys()).toHaveLength(2);
    // Seen from a run long after (its cutoff later than their upload): stale, deleted.
    expect(await prunePayloadLogs(env.ARTIFACTS, Date.now() + 1000)).toEqual({
      partitionsDeleted: 0,
      objectsDeleted: 2,
      done: true,
    });
    expect(await allKeys()).toEqual([]);
  });

  it(
    "empties a partition of more objects than one listing " + "returns, within a call budget, finishing in later runs",
    async () => {
      const limits = { calls: 5, objectsPerList: 10 };
      const big = Array.from(
        { length: 33 },
        (_, i) => `payload-logs/busy/date=${day(40)}/${String(i).padStart(5, "0")}.jsonl.gz`,
      );
      const others = [`payload-logs/quiet/date=${day(50)}/a.jsonl.gz`, `payload-logs/quiet/date=${day(51)}/b.jsonl.gz`];
      const kept = [`payload-logs/busy/date=${day(2)}/new.jsonl.gz`, `payload-logs/quiet/date=${day(0)}/new.jsonl.gz`];
      await put([...big, ...others, ...kept]);
      const cutoff = now - 30 * DAY;

      // 5 calls list the endpoints, one endpoint's partitions, and then a page or two of one partition.
      const first = await prunePayloadLogs(env.ARTIFACTS, cutoff, limits);
      expect(first.done).toBe(false);
      expect(first.objectsDeleted).toBeGreaterThan(0);
      expect(first.objectsDeleted).toBeLessThanOrEqual(2 * limits.objectsPerList);
      let runs = 1;
      while (!(await prunePayloadLogs(env.ARTIFACTS, cutoff, limits)).done) expect(++runs).toBeLessThan(20);
      expect(runs).toBeGreaterThan(2);
      expect(await allKeys()).toEqual(kept.sort());
      // With enough calls, the same work takes one run.
      await put([...big, ...others]);
      expect(await prunePayloadLogs(env.ARTIFACTS, cutoff, { calls: 100, objectsPerList: 10 })).toEqual({
        partitionsDeleted: 3,
        objectsDeleted: 35,
        done: true,
      });
      expect(await allKeys()).toEqual(kept.sort());
    },
  );
});
