import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../index";
import { replayDeadLetter, replayDeadLetters } from "../dead-letters/replay";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { createUserWithToken } from "../../test/principals";

const DL = "/api/2.0/edgeserve/dead-letters";
const db = openDatabase(env.DB);

function usageEvent(id: string, endpointName: string) {
  return {
    id,
    kind: "usage",
    record: {
      requestId: `req-${id}`,
      timestamp: 1_700_000_000_000,
      endpointId: `id-${endpointName}`,
      endpointName,
      servedEntity: "primary",
      requester: "alice@example.com",
      requesterKind: "user",
      task: "llm/v1/chat",
      provider: "custom",
      stream: false,
      promptTokens: 7,
      completionTokens: 2,
      estimated: false,
      status: 200,
      latencyMs: 5,
    },
  };
}

/** Hands messages to the dead-letter consumer as the queue does once `queue` gave up on them. */
async function deadLetter(queue: string, messages: { id: string; body: unknown }[]): Promise<void> {
  const batch = createMessageBatch(
    `${queue}-dlq`,
    messages.map((m) => ({ attempts: 1, timestamp: new Date(), ...m })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(messages.map((m) => m.id));
}

/** The dead letters (of `query`) that this file made, known by their message ids (all start with "dlq-"). */
async function list(query = ""): Promise<any[]> {
  const res = await call("GET", `${DL}${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.dead_letters.filter((d: { message_id: string }) => d.message_id.startsWith("dlq-"));
}

/** Every dead letter of this file, read page by page with `max_results`. */
async function listInPages(maxResults: number): Promise<{ pages: number; deadLetters: any[] }> {
  const deadLetters: any[] = [];
  let pages = 0;
  for (let token: string | undefined; pages === 0 || token; pages++) {
    const res = await call(
      "GET",
      `${DL}?max_results=${maxResults}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.dead_letters.length).toBeLessThanOrEqual(maxResults);
    deadLetters.push(...res.json.dead_letters.filter((d: { message_id: string }) => d.message_id.startsWith("dlq-")));
    token = res.json.next_page_token;
  }
  return { pages, deadLetters };
}

async function usageRowsOf(endpointName: string) {
  return db.select().from(usageRecords).where(eq(usageRecords.endpointName, endpointName));
}

/** A queue binding that records what is sent, failing every send when asked to. */
function recordingQueue(fail = false) {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      if (fail) throw new Error("Queue send failed: injected");
      sent.push(body);
    },
  } as unknown as Queue<any>;
  return { queue, sent };
}

let userToken: string;
beforeAll(async () => {
  userToken = (await createUserWithToken("dl-user@example.com")).token;
});

describe("dead letters API", () => {
  it("is for admins only: 403 for any other user on every route, 401 without a token", async () => {
    const id = "0".repeat(32);
    for (const [method, path, body] of [
      ["GET", DL, undefined],
      ["POST", `${DL}/replay`, {}],
      ["POST", `${DL}/edgeserve-usage/${id}/replay`, undefined],
      ["DELETE", `${DL}/edgeserve-usage/${id}`, undefined],
    ] as const) {
      const denied = await call(method, path, { token: userToken, ...(body ? { body } : {}) });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.json.error_code).toBe("PERMISSION_DENIED");
      expect((await call(method, path, { token: null })).status).toBe(401);
    }
  });

  it(
    "answers 400 naming the field for an unknown queue " + "or a malformed id, and 404 for an unknown dead letter",
    async () => {
      const badQueue = await call("GET", `${DL}?queue=edgeserve-nope`);
      expect(badQueue.status).toBe(400);
      expect(badQueue.json.message).toContain("'queue'");
      const badSize = await call("GET", `${DL}?max_results=0`);
      expect(badSize.status).toBe(400);
      expect(badSize.json.message).toContain("'max_results'");
      const badId = await call("DELETE", `${DL}/edgeserve-usage/not-an-id`);
      expect(badId.status).toBe(400);
      expect(badId.json.message).toContain("'dead_letter_id'");
      const badPathQueue = await call("POST", `${DL}/edgeserve-nope/${"a".repeat(32)}/replay`);
      expect(badPathQueue.status).toBe(400);
      expect(badPathQueue.json.message).toContain("'queue'");
      const unknownField = await call("POST", `${DL}/replay`, { body: { queue: "edgeserve-usage", ids: [] } });
      expect(unknownField.status).toBe(400);
      expect(unknownField.json.message).toContain("'ids'");
      for (const [method, path] of [
        ["POST", `${DL}/edgeserve-usage/${"a".repeat(32)}/replay`],
        ["DELETE", `${DL}/edgeserve-usage/${"a".repeat(32)}`],
      ] as const) {
        const missing = await call(method, path);
        expect(missing.status).toBe(404);
        expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
      }
    },
  );

  it(
    "replays a dead-lettered usage message: its record lands " +
      "in D1 through the usage queue, and the list is empty after",
    async () => {
      await deadLetter("edgeserve-usage", [{ id: "dlq-usage-1", body: [usageEvent("dl-replay-1", "dl-replay")] }]);
      expect(await usageRowsOf("dl-replay")).toEqual([]);
      const [kept] = await list("?queue=edgeserve-usage");
      expect(kept).toMatchObject({
        queue: "edgeserve-usage",
        message_id: "dlq-usage-1",
        summary: "1 event: 1 usage record",
      });

      const replay = await call("POST", `${DL}/edgeserve-usage/${kept.id}/replay`);
      expect(replay.status, replay.text).toBe(200);
      expect(replay.json).toEqual({
        replayed: [{ queue: "edgeserve-usage", id: kept.id }],
        failed: [],
        has_more: false,
      });
      expect(await list("?queue=edgeserve-usage")).toEqual([]);
      const rows = await vi.waitFor(
        async () => {
          const found = await usageRowsOf("dl-replay");
          expect(found).toHaveLength(1);
          return found;
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(rows[0]).toMatchObject({
        id: "dl-replay-1",
        promptTokens: 7,
        completionTokens: 2,
        requester: "alice@example.com",
      });
      expect((await call("POST", `${DL}/edgeserve-usage/${kept.id}/replay`)).status).toBe(404);
    },
  );

  it(
    "replays every dead letter of one queue, leaves other " + "queues' alone, pages the list, and deletes for good",
    async () => {
      await deadLetter("edgeserve-usage", [
        { id: "dlq-all-1", body: [usageEvent("dl-all-1", "dl-all")] },
        { id: "dlq-all-2", body: usageEvent("dl-all-2", "dl-all") },
      ]);
      await deadLetter("edgeserve-deployments", [
        { id: "dlq-dep-gone", body: { endpointId: "f".repeat(32), configVersion: 1 } },
      ]);

      const paged = await listInPages(2);
      expect(paged.pages).toBeGreaterThanOrEqual(2);
      expect(paged.deadLetters.map((d) => d.message_id).sort()).toEqual(["dlq-all-1", "dlq-all-2", "dlq-dep-gone"]);

      const usageIds = paged.deadLetters
        .filter((d) => d.queue === "edgeserve-usage")
        .map((d) => ({ queue: "edgeserve-usage", id: d.id }));
      const replay = await call("POST", `${DL}/replay`, { body: { queue: "edgeserve-usage" } });
      expect(replay.status, replay.text).toBe(200);
      expect(replay.json.replayed).toEqual(expect.arrayContaining(usageIds));
      expect(replay.json).toMatchObject({ failed: [], has_more: false });
      await vi.waitFor(async () => expect(await usageRowsOf("dl-all")).toHaveLength(2), {
        timeout: 15_000,
        interval: 200,
      });

      const [deployment, ...rest] = await list();
      expect(rest).toEqual([]);
      expect(deployment).toMatchObject({ queue: "edgeserve-deployments", message_id: "dlq-dep-gone" });
      expect((await call("DELETE", `${DL}/edgeserve-deployments/${deployment.id}`)).json).toEqual({});
      expect(await list()).toEqual([]);
    },
  );

  it("re-runs a replayed deployment only while its config version is the one being deployed", async () => {
    const created = await createReadyEndpoint(customChatEndpoint("dl-deploy"));
    const buildLogs = async () =>
      (await call("GET", "/api/2.0/serving-endpoints/dl-deploy/served-models/primary/build-logs")).json.logs as string;
    // The state a dead-lettered deployment leaves behind: version 2 pending, its message never consumed.
    await env.DB.prepare(
      "UPDATE endpoints SET pending_config = json_set(config, '$.config_version', " +
        "2), config_version = 2, config_update = 'IN_PROGRESS' WHERE name = 'dl-deploy'",
    ).run();
    expect((await call("GET", "/api/2.0/serving-endpoints/dl-deploy")).json.state.config_update).toBe("IN_PROGRESS");
    await deadLetter("edgeserve-deployments", [
      { id: "dlq-dep-stale", body: { endpointId: created.id, configVersion: 1 } },
      { id: "dlq-dep-current", body: { endpointId: created.id, configVersion: 2 } },
    ]);
    const kept = await list("?queue=edgeserve-deployments");
    const stale = kept.find((d) => d.message_id === "dlq-dep-stale")!;
    const current = kept.find((d) => d.message_id === "dlq-dep-current")!;

    expect((await call("POST", `${DL}/edgeserve-deployments/${stale.id}/replay`)).status).toBe(200);
    // The stale message is consumed (the list no longer has it) without deploying anything.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await call("GET", "/api/2.0/serving-endpoints/dl-deploy")).json.state.config_update).toBe("IN_PROGRESS");
    expect(await buildLogs()).not.toContain("Config version 2");

    expect((await call("POST", `${DL}/edgeserve-deployments/${current.id}/replay`)).status).toBe(200);
    await vi.waitFor(
      async () => {
        const endpoint = (await call("GET", "/api/2.0/serving-endpoints/dl-deploy")).json;
        expect(endpoint.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
        expect(endpoint.config.config_version).toBe(2);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(await buildLogs()).toContain("Config version 2: deployment started.");
    expect(await list("?queue=edgeserve-deployments")).toEqual([]);
  });

  it("re-sends a payload-log message exactly as kept, and keeps any dead letter whose send fails", async () => {
    const body = [
      { endpoint: "e", staged: { key: "payload-logs/_staged/x.json" } },
      { opaque: { nested: [1, "two"] } },
    ];
    await deadLetter("edgeserve-payload-logs", [{ id: "dlq-pl", body }]);
    const [kept] = await list("?queue=edgeserve-payload-logs");

    const broken = recordingQueue(true);
    await expect(
      replayDeadLetter({ ...env, PAYLOAD_LOGS: broken.queue }, env.ARTIFACTS, "edgeserve-payload-logs", kept.id),
    ).rejects.toThrow("injected");
    expect(await replayDeadLetters({ ...env, PAYLOAD_LOGS: broken.queue }, env.ARTIFACTS)).toEqual({
      replayed: [],
      failed: [{ queue: "edgeserve-payload-logs", id: kept.id, message: "Queue send failed: injected" }],
      has_more: false,
    });
    expect((await list("?queue=edgeserve-payload-logs")).map((d) => d.id)).toEqual([kept.id]);

    const working = recordingQueue();
    expect(
      await replayDeadLetter({ ...env, PAYLOAD_LOGS: working.queue }, env.ARTIFACTS, "edgeserve-payload-logs", kept.id),
    ).toBe(true);
    expect(working.sent).toEqual([body]);
    expect(await list("?queue=edgeserve-payload-logs")).toEqual([]);
  });
});
