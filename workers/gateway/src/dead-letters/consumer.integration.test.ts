import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../index";
import { call } from "../../test/client";
import { handleDeadLetterBatch, retryDelaySeconds } from "./consumer";
import { DEAD_LETTER_PREFIX, keepDeadLetter, listDeadLetters, readDeadLetter } from "./dead-letter-store";

/** What the usage queue carries: a usage record (with a requester and a usage_context) and a query outcome. */
function usageMessage(tag: string) {
  return [
    {
      id: `${tag}-usage`,
      kind: "usage",
      record: {
        requestId: `${tag}-req`,
        timestamp: 1_700_000_000_000,
        endpointId: `${tag}-ep`,
        endpointName: "dl-consumer",
        servedEntity: "primary",
        requester: "alice-private@example.com",
        requesterKind: "user",
        usageContext: { ssn: "123-45-6789" },
        task: "llm/v1/chat",
        provider: "custom",
        stream: false,
        promptTokens: 3,
        completionTokens: 1,
        estimated: false,
        status: 200,
        latencyMs: 4,
      },
    },
    {
      id: `${tag}-query`,
      kind: "query",
      outcome: {
        requestId: `${tag}-req`,
        timestamp: 1_700_000_000_000,
        endpointId: `${tag}-ep`,
        servedEntity: "primary",
        status: 200,
        latencyMs: 4,
        usageTracked: true,
      },
    },
  ];
}

/** Delivers messages to the dead-letter consumer as the queue would (through the worker's queue handler). */
async function deadLetter(queue: string, messages: { id: string; body: unknown; attempts?: number }[]) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ attempts: 1, timestamp: new Date(), ...m })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function listed(queue: string) {
  const res = await call("GET", `/api/2.0/edgeserve/dead-letters?queue=${queue}`);
  expect(res.status, res.text).toBe(200);
  return res.json.dead_letters as any[];
}

describe("dead-letter consumer", () => {
  it(
    "keeps a dead-lettered usage message in R2, acks it, and lists " +
      "it with counts only, never the requester or usage_context",
    async () => {
      const body = usageMessage("keep");
      const result = await deadLetter("edgeserve-usage-dlq", [{ id: "dlq-msg-1", body }]);
      expect(result.explicitAcks).toEqual(["dlq-msg-1"]);
      expect(result.retryMessages).toEqual([]);

      const kept = (await listed("edgeserve-usage")).find((d) => d.message_id === "dlq-msg-1");
      expect(kept).toEqual({
        queue: "edgeserve-usage",
        dead_letter_queue: "edgeserve-usage-dlq",
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        message_id: "dlq-msg-1",
        first_failed_at: expect.any(Number),
        last_failed_at: kept.first_failed_at,
        dead_letter_count: 1,
        size_bytes: new TextEncoder().encode(JSON.stringify(body)).byteLength,
        summary: "2 events: 1 usage record, 1 query outcome",
      });
      expect(Math.abs(kept.first_failed_at - Date.now())).toBeLessThan(60_000);
      const listing = JSON.stringify(await call("GET", "/api/2.0/edgeserve/dead-letters"));
      expect(listing).not.toContain("alice-private");
      expect(listing).not.toContain("123-45-6789");

      expect(await readDeadLetter(env.ARTIFACTS, "edgeserve-usage", kept.id)).toEqual({ body });
      expect(await env.ARTIFACTS.head(`${DEAD_LETTER_PREFIX}edgeserve-usage/${kept.id}.json`)).not.toBeNull();
    },
  );

  it(
    "changes nothing when the same dead-letter message is delivered " +
      "again, and counts the same body arriving as another message",
    async () => {
      const body = usageMessage("again");
      const first = await keepDeadLetter(env.ARTIFACTS, "edgeserve-usage", { id: "m-1", body }, 1_000);
      const redelivered = await keepDeadLetter(env.ARTIFACTS, "edgeserve-usage", { id: "m-1", body }, 2_000);
      expect(redelivered).toEqual(first);
      const duplicate = await keepDeadLetter(env.ARTIFACTS, "edgeserve-usage", { id: "m-2", body }, 3_000);
      expect(duplicate).toMatchObject({
        id: first.id,
        message_id: "m-2",
        first_failed_at: 1_000,
        last_failed_at: 3_000,
        dead_letter_count: 2,
      });
      expect((await listed("edgeserve-usage")).filter((d) => d.id === first.id)).toEqual([duplicate]);
    },
  );

  it(
    "keeps payload-log messages as opaque JSON, counting their " +
      "records, and deployment messages by endpoint and version",
    async () => {
      const payload = [{ endpoint: "e", record: { request: "the prompt text" } }, { anything: [1, 2] }, "third"];
      await deadLetter("edgeserve-payload-logs-dlq", [{ id: "pl-1", body: payload }]);
      await deadLetter("edgeserve-deployments-dlq", [
        { id: "dep-1", body: { endpointId: "0123abcd", configVersion: 4 } },
        { id: "dep-2", body: { endpointId: 7 } },
      ]);

      const logs = (await listed("edgeserve-payload-logs")).find((d) => d.message_id === "pl-1");
      expect(logs).toMatchObject({
        queue: "edgeserve-payload-logs",
        dead_letter_queue: "edgeserve-payload-logs-dlq",
        summary: "3 payload log records",
      });
      expect(JSON.stringify(logs)).not.toContain("the prompt text");
      expect(await readDeadLetter(env.ARTIFACTS, "edgeserve-payload-logs", logs.id)).toEqual({ body: payload });

      const deployments = (await listed("edgeserve-deployments")).filter((d) => d.message_id.startsWith("dep-"));
      expect(deployments.map((d) => d.summary).sort()).toEqual([
        "deployment of config version 4 of endpoint 0123abcd",
        "unreadable deployment message",
      ]);
    },
  );

  it("retries, with backoff, a message it could not keep, and acks nothing it did not keep", async () => {
    const failing = {
      head: (key: string) => env.ARTIFACTS.head(key),
      put: async () => Promise.reject(new Error("R2 put failed: injected")),
    } as unknown as R2Bucket;
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const calls: string[] = [];
    const message = {
      id: "not-kept",
      timestamp: new Date(),
      attempts: 3,
      body: usageMessage("not-kept"),
      ack: () => calls.push("ack"),
      retry: (options?: QueueRetryOptions) => calls.push(`retry after ${options?.delaySeconds} s`),
    };
    const batch = { queue: "edgeserve-usage-dlq", messages: [message] } as unknown as MessageBatch<unknown>;
    await handleDeadLetterBatch(batch, env, failing);
    expect(calls).toEqual(["retry after 20 s"]);
    expect(JSON.parse(errors.mock.calls[0]![0] as string)).toMatchObject({
      type: "dead_letter_not_kept",
      queue: "edgeserve-usage",
      message_id: "not-kept",
      attempts: 3,
    });
    errors.mockRestore();
    expect([1, 2, 3, 7, 20].map(retryDelaySeconds)).toEqual([5, 10, 20, 300, 300]);
    expect(
      (await listDeadLetters(env.ARTIFACTS, { queue: "edgeserve-usage", limit: 100 })).deadLetters.map(
        (d) => d.message_id,
      ),
    ).not.toContain("not-kept");
  });

  it("refuses a batch from a queue that is not a dead-letter queue, so that queue keeps it", async () => {
    const batch = createMessageBatch("edgeserve-usage", [{ id: "x", timestamp: new Date(), attempts: 1, body: [] }]);
    await expect(handleDeadLetterBatch(batch, env)).rejects.toThrow("'edgeserve-usage' is not a dead-letter queue.");
  });
});
