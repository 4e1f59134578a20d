import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { readPrometheus } from "../../test/prometheus";
import worker from "../index";
import type { UsageEvent } from "../serving/usage/usage-event";
import { runRetention } from "./run-retention";

const DAY = 86_400_000;
const now = Date.now();

/** A query and its provider call, `daysAgo` days before now, as the gateway sends them. */
function query(endpointId: string, n: number, daysAgo: number, latencyMs: number): UsageEvent[] {
  const timestamp = now - daysAgo * DAY;
  const requestId = `${endpointId}-req-${n}`;
  return [
    {
      id: `${endpointId}-q-${n}`,
      kind: "query",
      outcome: {
        requestId,
        timestamp,
        endpointId,
        servedEntity: "primary",
        status: 200,
        latencyMs,
        usageTracked: true,
      },
    },
    {
      id: `${endpointId}-u-${n}`,
      kind: "usage",
      record: {
        requestId,
        timestamp,
        endpointId,
        endpointName: "retention-chat",
        servedEntity: "primary",
        requester: "admin",
        requesterKind: "user",
        task: "llm/v1/chat",
        provider: "custom",
        stream: false,
        promptTokens: 10 + n,
        completionTokens: n,
        estimated: false,
        status: 200,
        latencyMs,
      },
    },
  ];
}

/** Through the usage queue's consumer, as the queue delivers them. */
async function consume(events: UsageEvent[]) {
  const batch = createMessageBatch<UsageEvent[]>("edgeserve-usage", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: events },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
}

async function scrape(name: string) {
  const res = await call("GET", `/api/2.0/serving-endpoints/${name}/metrics`);
  expect(res.status, res.text).toBe(200);
  return readPrometheus(res.text);
}

async function usageRequests(name: string) {
  const res = await call(
    "GET",
    `/api/2.0/serving-endpoints/${name}/usage?start_time=${now - 200 * DAY}&end_time=${now + 1}`,
  );
  expect(res.status, res.text).toBe(200);
  return res.json.usage.reduce((n: number, row: { request_count: number }) => n + row.request_count, 0);
}

async function rawIds(endpointId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id FROM query_outcomes WHERE endpoint_id = ?1 UNION ALL " +
      "SELECT id FROM usage_records WHERE endpoint_id = ?1 ORDER BY id",
  )
    .bind(endpointId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * The worker's cron handler, as the trigger of wrangler.toml calls it. (SELF.scheduled cannot run in
 * vitest-pool-workers 0.15.1: DataCloneError.)
 */
async function runScheduled(at: number) {
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: "17 * * * *" }), env);
}

const ARTIFACTS_PUT: Array<[string, string]> = [];
afterEach(async () => {
  await env.ARTIFACTS.delete(ARTIFACTS_PUT.splice(0).map(([key]) => key));
});

let chatId: string;
beforeAll(async () => {
  chatId = (
    await createReadyEndpoint(
      customChatEndpoint("retention-chat", { ai_gateway: { usage_tracking_config: { enabled: true } } }),
    )
  ).id;
});

describe("the retention job (cron trigger)", () => {
  it("prunes raw usage rows past EDGESERVE_USAGE_RETENTION_DAYS (90) while metrics keep counting them", async () => {
    const old = [query(chatId, 1, 120, 40), query(chatId, 2, 91, 700), query(chatId, 3, 95, 3)];
    const recent = [query(chatId, 4, 89, 40), query(chatId, 5, 1, 20_000)];
    await consume([...old, ...recent].flat());
    const before = await scrape("retention-chat");
    expect(before.counter("edgeserve_requests_total", { served_entity: "primary", status_code: "200" })).toBe(5);
    expect(await usageRequests("retention-chat")).toBe(5);

    await runScheduled(now);

    expect(await rawIds(chatId)).toEqual(
      recent
        .flat()
        .map((e) => e.id)
        .sort(),
    );
    // The metrics are the same numbers as before: totals, not the pruned rows.
    const after = await scrape("retention-chat");
    expect(after.counter("edgeserve_requests_total", { served_entity: "primary", status_code: "200" })).toBe(5);
    expect(after.counter("edgeserve_tokens_total", { direction: "input" })).toBe(10 * 5 + 1 + 2 + 3 + 4 + 5);
    expect(after.histogram("edgeserve_request_latency_ms", { served_entity: "primary" })).toEqual(
      before.histogram("edgeserve_request_latency_ms", { served_entity: "primary" }),
    );
    // The usage API reads whole hours from the hourly rows, which retention keeps: still all five.
    expect(await usageRequests("retention-chat")).toBe(5);

    // A redelivery of a kept event still counts nothing; a second run has nothing left to prune.
    await consume(recent[0]!);
    await runScheduled(now + 60_000);
    expect((await scrape("retention-chat")).counter("edgeserve_requests_total", {})).toBe(5);
    expect(await rawIds(chatId)).toEqual(
      recent
        .flat()
        .map((e) => e.id)
        .sort(),
    );
  });

  it("drops the metrics' totals of a deleted endpoint, and keeps everyone else's", async () => {
    const gone = await createReadyEndpoint(
      customChatEndpoint("retention-gone", { ai_gateway: { usage_tracking_config: { enabled: true } } }),
    );
    await consume([...query(gone.id, 1, 0, 10), ...query(chatId, 9, 0, 10)]);
    expect((await call("DELETE", "/api/2.0/serving-endpoints/retention-gone")).status).toBe(200);
    const totalsOf = async (id: string) =>
      (await env.DB.prepare(
        "SELECT (SELECT count(*) FROM query_outcome_totals WHERE endpoint_id = " +
          "?1) + (SELECT count(*) FROM usage_token_totals WHERE endpoint_id = ?1) + " +
          "(SELECT count(*) FROM tracked_usage_by_hour WHERE endpoint_id = ?1) AS n",
      )
        .bind(id)
        .first<{ n: number }>())!.n;
    expect(await totalsOf(gone.id)).toBe(3);
    const chatTotals = await totalsOf(chatId);
    expect(chatTotals).toBeGreaterThanOrEqual(3);

    await runScheduled(now);

    expect(await totalsOf(gone.id)).toBe(0);
    expect(await totalsOf(chatId)).toBe(chatTotals);
  });

  it(
    "prunes payload-log partitions past EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS " +
      "(30), whatever names the endpoint folder",
    async () => {
      const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
      const keys = {
        oldByName: `payload-logs/retention-chat/date=${day(31)}/1-2-aa.jsonl.gz`,
        oldById: `payload-logs/${chatId}/date=${day(45)}/1-2-bb.jsonl.gz`,
        keptByName: `payload-logs/retention-chat/date=${day(29)}/1-2-cc.jsonl.gz`,
        keptById: `payload-logs/${chatId}/date=${day(0)}/1-2-dd.jsonl.gz`,
        staged: "payload-logs/_staged/1-req-x.json",
        notAPartition: `payload-logs/retention-chat/date=${day(400)}.txt`,
        otherData: `mlflow-artifacts/date=${day(400)}/model.bin`,
      };
      for (const key of Object.values(keys)) {
        await env.ARTIFACTS.put(key, "x");
        ARTIFACTS_PUT.push([key, "x"]);
      }

      await runScheduled(now);

      const left = (await env.ARTIFACTS.list()).objects.map((o) => o.key).sort();
      expect(left).toEqual([keys.keptByName, keys.keptById, keys.staged, keys.notAPartition, keys.otherData].sort());
    },
  );

  it("refuses a retention setting below its minimum or not a number of days, and then prunes nothing", async () => {
    await consume(query(chatId, 20, 100, 10));
    for (const [variable, value] of [
      ["EDGESERVE_USAGE_RETENTION_DAYS", "7"],
      ["EDGESERVE_USAGE_RETENTION_DAYS", "90d"],
      ["EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS", "0"],
      ["EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS", "-3"],
    ]) {
      await expect(runRetention({ ...env, [variable!]: value }, now)).rejects.toThrow(
        `${variable} must be a whole number of days`,
      );
    }
    expect(await rawIds(chatId)).toContain(`${chatId}-q-20`);
  });
});
