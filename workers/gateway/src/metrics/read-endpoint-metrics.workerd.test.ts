import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { LATENCY_BUCKETS_MS, openDatabase } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import { handleUsageBatch } from "../serving/usage/usage-consumer";
import type { UsageEvent } from "../serving/usage/usage-event";
import { type UsageStore, d1UsageStore } from "../serving/usage/usage-store";
import type { EndpointMetrics } from "./endpoint-metrics";
import { readEndpointMetrics } from "./read-endpoint-metrics";

const db = openDatabase(env.DB);
const endpoint = { id: "ep-totals", name: "totals" };

function outcome(n: number, servedEntity: string | null, status: number, latencyMs: number): UsageEvent {
  return {
    id: `q-${n}`,
    kind: "query",
    outcome: {
      requestId: `r-${n}`,
      timestamp: 1_700_000_000_000 + n,
      endpointId: endpoint.id,
      servedEntity,
      status,
      latencyMs,
      usageTracked: true,
    },
  };
}

function usage(n: number, servedEntity: string, promptTokens: number, completionTokens: number): UsageEvent {
  return {
    id: `u-${n}`,
    kind: "usage",
    record: {
      requestId: `r-${n}`,
      timestamp: 1_700_000_000_000 + n,
      endpointId: endpoint.id,
      endpointName: endpoint.name,
      servedEntity,
      requester: "alice@example.com",
      requesterKind: "user",
      task: "llm/v1/chat",
      provider: "custom",
      stream: false,
      promptTokens,
      completionTokens,
      estimated: false,
      status: 200,
      latencyMs: 10,
    },
  };
}

/** What the metrics must say, computed here from the events themselves (not from SQL). */
function expectedMetrics(events: UsageEvent[]): EndpointMetrics {
  const requests = new Map<string, { servedEntity: string; statusCode: number; count: number }>();
  const latency = new Map<string, { servedEntity: string; cumulative: number[]; count: number; sumMs: number }>();
  const tokens = new Map<string, { servedEntity: string; input: number; output: number }>();
  for (const e of events) {
    if (e.kind === "query") {
      const entity = e.outcome.servedEntity ?? "";
      const r = requests.get(`${entity}\n${e.outcome.status}`) ?? {
        servedEntity: entity,
        statusCode: e.outcome.status,
        count: 0,
      };
      r.count++;
      requests.set(`${entity}\n${e.outcome.status}`, r);
      const h = latency.get(entity) ?? {
        servedEntity: entity,
        cumulative: LATENCY_BUCKETS_MS.map(() => 0),
        count: 0,
        sumMs: 0,
      };
      h.count++;
      h.sumMs += e.outcome.latencyMs;
      LATENCY_BUCKETS_MS.forEach((le, i) => (h.cumulative[i]! += e.outcome.latencyMs <= le ? 1 : 0));
      latency.set(entity, h);
    } else {
      const t = tokens.get(e.record.servedEntity) ?? { servedEntity: e.record.servedEntity, input: 0, output: 0 };
      t.input += e.record.promptTokens;
      t.output += e.record.completionTokens;
      tokens.set(e.record.servedEntity, t);
    }
  }
  const byName = <T extends { servedEntity: string }>(a: T, b: T) => a.servedEntity.localeCompare(b.servedEntity);
  return {
    endpointName: endpoint.name,
    requests: [...requests.values()].sort((a, b) => byName(a, b) || a.statusCode - b.statusCode),
    latency: [...latency.values()].sort(byName),
    tokens: [...tokens.values()].sort(byName),
  };
}

/**
 * The real store, except that its first whole-batch write lands and then reports a failure (an ack that never came).
 */
function storeLosingFirstAck(): UsageStore {
  const real = d1UsageStore(db);
  let lost = false;
  return {
    async writeAll(events) {
      await real.writeAll(events);
      if (!lost) {
        lost = true;
        throw new Error("D1_ERROR: injected failure after the write landed");
      }
    },
    writeMessage: (events) => real.writeMessage(events),
  };
}

async function deliver(bodies: UsageEvent[][], store: UsageStore, attempts: number) {
  const batch = createMessageBatch<UsageEvent[]>(
    "edgeserve-usage",
    bodies.map((body, i) => ({ id: `m-${attempts}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await handleUsageBatch(batch, env, store);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages).toEqual([]);
}

describe("readEndpointMetrics", () => {
  it(
    "reports every recorded query and token exactly once, with each " +
      "latency in the right bucket, however often the queue delivers it",
    async () => {
      // Latencies on, just past and far past every bound, for two entities and refused queries ("").
      const latencies = [0, ...LATENCY_BUCKETS_MS.flatMap((le) => [le, le + 1]), 400_000];
      const outcomes = latencies.map((ms, n) =>
        outcome(n, n % 5 === 0 ? null : n % 2 ? "a" : "b", n % 5 === 0 ? 429 : n % 3 ? 200 : 500, ms),
      );
      const usages = [usage(100, "a", 7, 2), usage(101, "a", 11, 3), usage(102, "b", 5, 0)];
      const events = [...outcomes, ...usages];
      const messages = [events.slice(0, 20), events.slice(20), [outcomes[3]!, usages[0]!]];

      const store = storeLosingFirstAck();
      await deliver(messages, store, 1); // lands, its ack is lost, every message is written again on its own
      await deliver(messages, store, 2); // and the queue redelivers them all

      expect(await readEndpointMetrics(db, endpoint)).toEqual(expectedMetrics(events));
    },
  );

  it("reports nothing for an endpoint with no recorded queries", async () => {
    expect(await readEndpointMetrics(db, { id: "ep-idle", name: "idle" })).toEqual({
      endpointName: "idle",
      requests: [],
      latency: [],
      tokens: [],
    });
  });
});
