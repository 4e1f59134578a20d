import type { PayloadLogRecord } from "@edgeserve/api";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import type { Env } from "../env";
import { newHexId } from "../ids";
import { handlePayloadLogBatch } from "./consumer";
import { payloadLogMessage } from "./enqueue";
import type { LegacyPayloadLogMessage, PayloadLogMessage, PayloadLogPurgeMessage } from "./message";
import { endpointLogPrefix, endpointStagingPrefix } from "./object-key";
import { readPayloadLogs } from "./read-logs";
import { payloadRecord } from "./testing/payload-record";

const QUEUE = "edgeserve-payload-logs";
const DAY = 86_400_000;

afterEach(() => vi.restoreAllMocks());

type Body =
  | PayloadLogMessage
  | LegacyPayloadLogMessage
  | (PayloadLogMessage | LegacyPayloadLogMessage)[]
  | PayloadLogPurgeMessage;

/** Delivers messages as the queue does, to the consumer; answers which were acked and which retried. */
async function deliver(bodies: Body[], options: { env?: Env; bucket?: R2Bucket; attempts?: number } = {}) {
  const messages = bodies.map((body, i) => ({
    id: `m-${i}-${crypto.randomUUID()}`,
    timestamp: new Date(),
    attempts: options.attempts ?? 1,
    body,
  }));
  const batch = createMessageBatch<Body>(QUEUE, messages);
  const ctx = createExecutionContext();
  await handlePayloadLogBatch(batch, options.env ?? env, options.bucket ?? env.ARTIFACTS);
  const result = await getQueueResult(batch, ctx);
  const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
  return {
    acked: messages.filter((m) => result.explicitAcks.includes(m.id)).length,
    retried: messages.filter((m) => retried.has(m.id)).length,
  };
}

async function createEndpoint(name: string): Promise<string> {
  const res = await call("POST", "/api/2.0/serving-endpoints", { body: { name } });
  expect(res.status, res.text).toBe(200);
  return res.json.id;
}

async function keysUnder(prefix: string): Promise<string[]> {
  return (await env.ARTIFACTS.list({ prefix })).objects.map((o) => o.key);
}

/** The real bucket, with the keys the consumer deletes noted (the DELETE's own purge may delete them too). */
function watchedBucket() {
  const deleted: string[] = [];
  const bucket = new Proxy(env.ARTIFACTS, {
    get(target, prop) {
      if (prop === "delete")
        return async (keys: string | string[]) => {
          deleted.push(...(Array.isArray(keys) ? keys : [keys]));
          return target.delete(keys);
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { bucket, deleted };
}

/** The real bucket, listing at most `pageSize` keys per call (as R2 does past 1000). */
function pagedBucket(pageSize: number): R2Bucket {
  return new Proxy(env.ARTIFACTS, {
    get(target, prop) {
      if (prop === "list")
        return (options: R2ListOptions) =>
          target.list({ ...options, limit: Math.min(options.limit ?? 1000, pageSize) });
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The test env, with the purge messages the consumer queues kept here instead of sent. */
function envKeepingSends() {
  const sent: { body: PayloadLogPurgeMessage; delaySeconds?: number }[] = [];
  const queue = {
    send: async (body: PayloadLogPurgeMessage, options?: QueueSendOptions) =>
      void sent.push({ body, ...(options?.delaySeconds ? { delaySeconds: options.delaySeconds } : {}) }),
  };
  return { env: { ...env, PAYLOAD_LOGS: queue } as unknown as Env, sent };
}

describe("records in flight when their endpoint is deleted", () => {
  it("are dropped (staging copies too), never landing where a new endpoint of the same name reads", async () => {
    const oldId = await createEndpoint("pf-reused");
    const before = Date.now() - 1000;
    // What the old endpoint's queries queued: an inline record, a staged one, and one from a version that keyed by
    // name.
    const inFlight: Body[] = [
      (await payloadLogMessage(env.ARTIFACTS, oldId, payloadRecord("pf-reused", "old-inline", before))).body,
      (await payloadLogMessage(env.ARTIFACTS, oldId, payloadRecord("pf-reused", "old-staged", before, true))).body,
      { endpoint: "pf-reused", record: payloadRecord("pf-reused", "old-by-name", before) },
    ];
    const stagedKey = (inFlight[1] as { staged: { key: string } }).staged.key;
    expect(stagedKey.startsWith(endpointStagingPrefix(oldId))).toBe(true);

    expect((await call("DELETE", "/api/2.0/serving-endpoints/pf-reused")).status).toBe(200);
    const newId = await createEndpoint("pf-reused");
    // A name-keyed record of a query the new endpoint answered (during a rolling upgrade) is its own.
    const after = Date.now() + 1000;
    const { bucket, deleted } = watchedBucket();
    expect(
      await deliver(
        [...inFlight, { endpoint: "pf-reused", record: payloadRecord("pf-reused", "new-by-name", after) }],
        { bucket },
      ),
    ).toEqual({ acked: 4, retried: 0 });

    expect(deleted).toContain(stagedKey);
    expect(await keysUnder(endpointLogPrefix(oldId))).toEqual([]);
    const read = await readPayloadLogs(env.ARTIFACTS, newId, {
      startMs: before - DAY,
      endMs: after + DAY,
      maxResults: 100,
    });
    expect(read.records.map((r) => r.databricks_request_id)).toEqual(["new-by-name"]);
    const api = await call(
      "GET",
      `/api/2.0/serving-endpoints/pf-reused/payload-logs?start_time=${before - 1}&end_time=${after + 1}`,
    );
    expect(api.json.payload_logs.map((r: PayloadLogRecord) => r.databricks_request_id)).toEqual(["new-by-name"]);
  });
});

describe("the purge of a deleted endpoint's payload logs", () => {
  it(
    "deletes its objects and staged records page by page, " +
      "re-queueing itself, then sweeps once more a minute later",
    async () => {
      // Storage holding a gone endpoint's objects is what this test is about, so it writes them itself.
      const gone = newHexId();
      const neighbour = await createEndpoint("pf-neighbour");
      for (let day = 0; day < 5; day++)
        await env.ARTIFACTS.put(`${endpointLogPrefix(gone)}date=2026-01-0${day + 1}/000-000-ab.jsonl.gz`, "x");
      for (let i = 0; i < 2; i++) await env.ARTIFACTS.put(`${endpointStagingPrefix(gone)}${i}.json`, "{}");
      await deliver([
        (await payloadLogMessage(env.ARTIFACTS, neighbour, payloadRecord("pf-neighbour", "kept", Date.now()))).body,
      ]);
      const neighbourKeys = await keysUnder(endpointLogPrefix(neighbour));
      expect(neighbourKeys).toHaveLength(1);

      const { env: recording, sent } = envKeepingSends();
      const bucket = pagedBucket(2);
      expect(await deliver([{ purge: { endpointId: gone } }], { env: recording, bucket })).toEqual({
        acked: 1,
        retried: 0,
      });
      expect((await keysUnder(endpointLogPrefix(gone))).length).toBe(3);
      expect(await keysUnder(endpointStagingPrefix(gone))).toEqual([]);
      // The rest in a fresh message, delivered now.
      expect(sent).toEqual([{ body: { purge: { endpointId: gone } } }]);
      await deliver([sent[0]!.body], { env: recording, bucket });
      expect((await keysUnder(endpointLogPrefix(gone))).length).toBe(1);
      await deliver([sent[1]!.body], { env: recording, bucket });
      expect(await keysUnder(endpointLogPrefix(gone))).toEqual([]);
      // Empty: one last look a minute later, for a write that raced the deletion.
      expect(sent.slice(1)).toEqual([
        { body: { purge: { endpointId: gone } } },
        { body: { purge: { endpointId: gone, finalSweep: true } }, delaySeconds: 60 },
      ]);
      await env.ARTIFACTS.put(`${endpointLogPrefix(gone)}date=2026-01-09/late.jsonl.gz`, "x");
      expect(await deliver([sent[2]!.body], { env: recording, bucket })).toEqual({ acked: 1, retried: 0 });
      expect(await keysUnder(endpointLogPrefix(gone))).toEqual([]);
      expect(sent).toHaveLength(3);
      // Another endpoint's objects are untouched.
      expect(await keysUnder(endpointLogPrefix(neighbour))).toEqual(neighbourKeys);
    },
  );

  it(
    "waits while the endpoint still exists (its DELETE not landed), " +
      "and gives up after a few deliveries without deleting anything",
    async () => {
      const id = await createEndpoint("pf-alive");
      await deliver([
        (await payloadLogMessage(env.ARTIFACTS, id, payloadRecord("pf-alive", "alive", Date.now()))).body,
      ]);
      const keys = await keysUnder(endpointLogPrefix(id));
      expect(keys).toHaveLength(1);
      const { env: recording, sent } = envKeepingSends();
      expect(await deliver([{ purge: { endpointId: id } }], { env: recording, attempts: 1 })).toEqual({
        acked: 0,
        retried: 1,
      });
      expect(await deliver([{ purge: { endpointId: id } }], { env: recording, attempts: 3 })).toEqual({
        acked: 1,
        retried: 0,
      });
      expect(sent).toEqual([]);
      expect(await keysUnder(endpointLogPrefix(id))).toEqual(keys);
    },
  );

  it(
    "is queued by DELETE before anything is deleted: if it " + "cannot be, DELETE answers 503 and the endpoint stays",
    async () => {
      await createEndpoint("pf-unqueued");
      vi.spyOn(env.PAYLOAD_LOGS, "send").mockRejectedValue(new Error("queue unavailable"));
      const res = await call("DELETE", "/api/2.0/serving-endpoints/pf-unqueued");
      expect(res.status, res.text).toBe(503);
      expect(res.json.error_code).toBe("TEMPORARILY_UNAVAILABLE");
      vi.restoreAllMocks();
      expect((await call("GET", "/api/2.0/serving-endpoints/pf-unqueued")).status).toBe(200);
      expect((await call("DELETE", "/api/2.0/serving-endpoints/pf-unqueued")).status).toBe(200);
      expect((await call("GET", "/api/2.0/serving-endpoints/pf-unqueued")).status).toBe(404);
    },
  );
});
