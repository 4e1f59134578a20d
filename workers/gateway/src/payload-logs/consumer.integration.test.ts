import type { PayloadLogRecord } from "@edgeserve/api";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { handlePayloadLogBatch, retryDelaySeconds } from "./consumer";
import { payloadLogMessage } from "./enqueue";
import { gunzipJsonLines } from "./gzip-jsonl";
import { type PayloadLogMessage, STAGING_PREFIX } from "./message";
import { readPayloadLogs } from "./read-logs";
import { payloadRecord } from "./testing/payload-record";

const QUEUE = "edgeserve-payload-logs";
const DAY1 = Date.UTC(2026, 10, 24, 12);
const DAY2 = Date.UTC(2026, 10, 25, 8);

/** Endpoint name → id: records are queued for endpoints that exist (the consumer drops the others'). */
const ids: Record<string, string> = {};
beforeAll(async () => {
  for (const name of ["ep-a", "ep-b", "ep-c", "ep-d", "ep-e", "ep-f"]) {
    const res = await call("POST", "/api/2.0/serving-endpoints", { body: { name } });
    expect(res.status, res.text).toBe(200);
    ids[name] = res.json.id;
  }
});

function record(endpoint: string, i: number, at: number, big = false): PayloadLogRecord {
  return payloadRecord(endpoint, `${endpoint}-req-${i}`, at + i * 1000, big);
}

interface Pending {
  id: string;
  attempts: number;
  body: PayloadLogMessage | PayloadLogMessage[];
}

/** The real R2 binding, with writes that fail when `failPut` says so (before or after the object lands). */
function faultyBucket(failPut: (key: string, n: number) => "before" | "after" | null) {
  let puts = 0;
  const counts = { failedBefore: 0, failedAfter: 0 };
  const bucket = new Proxy(env.ARTIFACTS, {
    get(target, prop) {
      if (prop === "put") {
        return async (key: string, value: unknown, options?: R2PutOptions) => {
          if (key.startsWith(STAGING_PREFIX)) return target.put(key, value as string, options);
          const failure = failPut(key, puts++);
          if (failure === "before") {
            counts.failedBefore++;
            throw new Error("injected: R2 put failed");
          }
          const written = await target.put(key, value as ArrayBuffer, options);
          if (failure === "after") {
            // The object landed but the consumer dies before acking: the queue redelivers.
            counts.failedAfter++;
            throw new Error("injected: lost after write");
          }
          return written;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { bucket, counts };
}

/**
 * Delivers messages like the queue does: batches of `batchSize`, retried messages redelivered with
 * attempts + 1 (in a different batch composition) until every message is acked.
 */
async function deliverUntilAcked(messages: Pending[], bucket: R2Bucket, batchSize: (round: number) => number) {
  let pending = messages;
  let rounds = 0;
  while (pending.length > 0) {
    rounds++;
    if (rounds > 20) throw new Error("messages never acked");
    const next: Pending[] = [];
    const size = batchSize(rounds);
    for (let i = 0; i < pending.length; i += size) {
      const chunk = pending.slice(i, i + size);
      const batch = createMessageBatch<PayloadLogMessage | PayloadLogMessage[]>(
        QUEUE,
        chunk.map((m) => ({ ...m, timestamp: new Date() })),
      );
      const ctx = createExecutionContext();
      await handlePayloadLogBatch(batch, env, bucket);
      const result = await getQueueResult(batch, ctx);
      expect(result.ackAll).toBe(false);
      // (This workerd build does not echo delaySeconds in the result; retryDelaySeconds is tested below.)
      const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
      for (const m of chunk) {
        const acked = result.explicitAcks.includes(m.id);
        expect(acked !== retried.has(m.id), `message ${m.id} must be acked xor retried`).toBe(true);
        if (retried.has(m.id)) next.push({ ...m, attempts: m.attempts + 1 });
      }
    }
    pending = next.reverse();
  }
  return { rounds };
}

async function messagesFor(records: PayloadLogRecord[], endpoint: string): Promise<Pending[]> {
  return Promise.all(
    records.map(async (r, i) => ({
      id: `msg-${endpoint}-${i}`,
      attempts: 1,
      body: (await payloadLogMessage(env.ARTIFACTS, ids[endpoint]!, r)).body,
    })),
  );
}

async function readAll(endpoint: string, startMs: number, endMs: number, maxResults = 1000) {
  const out: PayloadLogRecord[] = [];
  let after: { t: number; id: string } | undefined;
  for (;;) {
    const page = await readPayloadLogs(env.ARTIFACTS, ids[endpoint]!, {
      startMs,
      endMs,
      maxResults,
      ...(after ? { after } : {}),
    });
    out.push(...page.records);
    if (!page.next) return out;
    after = page.next;
  }
}

describe("payload-log consumer", () => {
  it("lands every payload exactly once when writes fail, before or after the object lands", async () => {
    const records = [
      ...Array.from({ length: 12 }, (_, i) => record("ep-a", i, DAY1, i === 3)),
      ...Array.from({ length: 8 }, (_, i) => record("ep-a", 100 + i, DAY2)),
      ...Array.from({ length: 10 }, (_, i) => record("ep-b", i, DAY2, i === 7)),
    ];
    const messages = [
      ...(await messagesFor(records.slice(0, 20), "ep-a")),
      ...(await messagesFor(records.slice(20), "ep-b")),
    ];
    expect(messages.filter((m) => !Array.isArray(m.body) && "staged" in m.body)).toHaveLength(2);

    // Puts 0, 2, 3, 5, 6 fail before writing; puts 4 and 7 write and then fail (the ack is lost).
    const { bucket, counts } = faultyBucket((_, n) =>
      [0, 2, 3, 5, 6].includes(n) ? "before" : [4, 7].includes(n) ? "after" : null,
    );
    const { rounds } = await deliverUntilAcked(messages, bucket, (round) => [7, 4, 3, 10][(round - 1) % 4]!);
    expect(counts.failedBefore).toBe(5);
    expect(counts.failedAfter).toBe(2);
    expect(rounds).toBeGreaterThan(1);

    const a = await readAll("ep-a", DAY1 - 86_400_000, DAY2 + 86_400_000, 5);
    const b = await readAll("ep-b", DAY1, DAY2 + 86_400_000, 4);
    expect(a).toEqual(records.slice(0, 20));
    expect(b).toEqual(records.slice(20));

    // The redelivered-after-write batches really are in R2 twice: the reader is what makes them appear once.
    let stored = 0;
    for (const id of [ids["ep-a"], ids["ep-b"]])
      for (const o of (await env.ARTIFACTS.list({ prefix: `payload-logs/${id}/` })).objects)
        stored += (await gunzipJsonLines((await env.ARTIFACTS.get(o.key))!.body)).length;
    expect(stored).toBeGreaterThan(30);
    // Staged oversized records were inlined and their staging copies removed.
    expect((await env.ARTIFACTS.list({ prefix: STAGING_PREFIX })).objects).toEqual([]);
  });

  it(
    "lands the records of packed messages (arrays, mixing endpoints, " +
      "days and staged records) exactly once, retrying a message whole",
    async () => {
      const records = [
        ...Array.from({ length: 9 }, (_, i) => record("ep-e", i, DAY1, i === 4)),
        ...Array.from({ length: 6 }, (_, i) => record("ep-f", i, DAY2)),
      ];
      const single = [
        ...(await messagesFor(records.slice(0, 9), "ep-e")),
        ...(await messagesFor(records.slice(9), "ep-f")),
      ];
      // What the batcher sends: arrays of three records, the last array mixing both endpoints and days.
      const packed: Pending[] = [0, 3, 6, 9, 12].map((start, n) => ({
        id: `packed-${n}`,
        attempts: 1,
        body: single.slice(start, start + 3).map((m) => m.body as PayloadLogMessage),
      }));
      packed[2]!.body = [...(packed[2]!.body as PayloadLogMessage[]), single[9]!.body as PayloadLogMessage];
      packed[3]!.body = (packed[3]!.body as PayloadLogMessage[]).slice(1);

      // Put 1 fails before writing, put 2 after (its ack is lost): their messages come back whole.
      const { bucket, counts } = faultyBucket((_, n) => (n === 1 ? "before" : n === 2 ? "after" : null));
      const { rounds } = await deliverUntilAcked(packed, bucket, () => 2);
      expect(counts.failedBefore + counts.failedAfter).toBe(2);
      expect(rounds).toBeGreaterThan(1);
      expect(await readAll("ep-e", DAY1 - 86_400_000, DAY2 + 86_400_000)).toEqual(records.slice(0, 9));
      expect(await readAll("ep-f", DAY1 - 86_400_000, DAY2 + 86_400_000)).toEqual(records.slice(9));
    },
  );

  it(
    "writes one gzip JSON Lines object per endpoint and " + "day, under payload-logs/<endpoint id>/date=YYYY-MM-DD/",
    async () => {
      const records = [record("ep-c", 0, DAY1), record("ep-c", 1, DAY1), record("ep-c", 0, DAY2)];
      const { bucket } = faultyBucket(() => null);
      await deliverUntilAcked(await messagesFor(records, "ep-c"), bucket, () => 10);
      const id = ids["ep-c"]!;
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      const keys = (await env.ARTIFACTS.list({ prefix: "payload-logs/" })).objects
        .map((o) => o.key)
        .filter((k) => k.includes("ep-c") || k.includes(id));
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(
        new RegExp(`^payload-logs/${id}/date=2026-11-24/\\d{15}-\\d{15}-[0-9a-f]{24}\\.jsonl\\.gz$`),
      );
      expect(keys[1]).toMatch(new RegExp(`^payload-logs/${id}/date=2026-11-25/`));
      const object = (await env.ARTIFACTS.get(keys[0]!))!;
      const bytes = new Uint8Array(await object.arrayBuffer());
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip magic
      const lines = await gunzipJsonLines(new Blob([bytes]).stream());
      expect(lines).toEqual(records.slice(0, 2));
    },
  );

  it("acks a staged pointer whose record an earlier delivery already wrote", async () => {
    const [message] = await messagesFor([record("ep-d", 0, DAY1, true)], "ep-d");
    const { bucket } = faultyBucket(() => null);
    await deliverUntilAcked([message!], bucket, () => 1);
    // Redelivery of the same message (ack lost after the staging copy was deleted): acked, nothing added.
    await deliverUntilAcked([{ ...message!, attempts: 2 }], bucket, () => 1);
    expect(await readAll("ep-d", DAY1 - 1000, DAY1 + 1000)).toHaveLength(1);
  });

  it("backs off exponentially up to 5 minutes", () => {
    expect([1, 2, 3, 4, 7, 20].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 300, 300]);
  });
});
