/**
 * `ai_gateway.fallback_config` through the real stack, on the fault-injecting upstream
 * (test/mocks/fault-upstream.ts, faults chosen by model name): a failing entity falls back to the next in
 * `served_entities` order, streamed (before the first byte) or not; a failure after a stream's first byte
 * does not; when all fail the last error is the answer; an entity at 0 % answers only as a fallback; the
 * `served-model-name` header names who answered; usage and payload records hold every attempt; `calls`
 * rate limits count the client's query once. docs/fallbacks.md's worked example runs as written.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { FaultRequest } from "../mocks/fault-upstream";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady } from "./helpers";

const tag = crypto.randomBytes(3).toString("hex");
const startedAt = Date.now();
const idleMs = () => e2e().upstreamIdleTimeoutS * 1000;
/** Slack for the stack's own latency on a busy 2-core machine. */
const SLACK_MS = 2_500;

interface Entity {
  name: string;
  /** The model the fault upstream is asked for: `fault-<kind>-…` fails that way, anything else answers. */
  model: string;
  traffic: number;
}

/** An entity on the fault upstream failing with `fault` (or answering, with `null`), with a model of its own. */
function entity(name: string, fault: string | null, traffic: number): Entity {
  return { name, model: fault ? `fault-${fault}-${uniqueName(tag)}` : `healthy-${uniqueName(tag)}`, traffic };
}

async function createEndpoint(entities: Entity[], aiGateway: Record<string, unknown>): Promise<string> {
  const name = uniqueName("fb");
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: {
          served_entities: entities.map((e) => ({
            name: e.name,
            external_model: {
              name: e.model,
              provider: "custom",
              task: "llm/v1/chat",
              custom_provider_config: {
                custom_provider_url: `${e2e().faultUrl}/v1`,
                bearer_token_auth: { token_plaintext: `sk-fallback-${tag}` },
              },
            },
          })),
          traffic_config: {
            routes: entities.map((e) => ({ served_entity_name: e.name, traffic_percentage: e.traffic })),
          },
        },
        ai_gateway: aiGateway,
      },
    }),
  );
  await waitUntilReady(name);
  return name;
}

const FALLBACKS_ON = { fallback_config: { enabled: true } };

/** One chat query through the stack, timed; `events` holds a stream's `data:` payloads. */
async function query(endpoint: string, options: { stream?: boolean; content?: string } = {}) {
  const started = Date.now();
  const res = await api("POST", `/serving-endpoints/${endpoint}/invocations`, {
    body: {
      messages: [{ role: "user", content: options.content ?? "who answers?" }],
      stream: options.stream ?? false,
    },
  });
  const events = res.headers.get("content-type")?.includes("text/event-stream") ? sseData(res.text) : [];
  return { ...res, events, ms: Date.now() - started };
}

async function upstreamRequests(model: string): Promise<FaultRequest[]> {
  const res = await fetch(`${e2e().faultUrl}/__mock/requests?model=${encodeURIComponent(model)}`);
  return ((await res.json()) as { requests: FaultRequest[] }).requests;
}

const streamedText = (events: unknown[]) => events.map((e: any) => e?.choices?.[0]?.delta?.content ?? "").join("");

/** A local port nothing listens on: an upstream that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `read` until `done` holds (usage and payload records land through queues). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}

type UsageRow = { group: string; request_count: number; error_count: number };
type PayloadLog = {
  status_code: number;
  served_entity_id: string | null;
  failed_attempts?: { served_entity_name: string; status_code: number; error_code: string }[];
};

/**
 * Waits until the endpoint's usage records (through the usage queue) and payload logs (through theirs) have
 * landed, then checks them: usage as [entity, requests, errors] rows, and one payload log per query, each
 * matching `log`.
 */
async function expectRecords(endpoint: string, usage: [string, number, number][], log: PayloadLog, queries: number) {
  const attempts = usage.reduce((n, [, requests]) => n + requests, 0);
  const usageBody = await eventually(
    () => ok(api("GET", `/api/2.0/serving-endpoints/${endpoint}/usage?group_by=served_entity`)),
    (body) => (body.usage as UsageRow[]).reduce((n, r) => n + r.request_count, 0) >= attempts,
  );
  const rows = (usageBody.usage as UsageRow[]).map((r) => [r.group, r.request_count, r.error_count]);
  expect(rows.sort()).toEqual(usage);
  const logs = await eventually(
    () => ok(api("GET", `/api/2.0/serving-endpoints/${endpoint}/payload-logs?start_time=${startedAt - 60_000}`)),
    (body) => body.payload_logs.length >= queries,
  );
  expect(logs.payload_logs).toHaveLength(queries);
  for (const logged of logs.payload_logs) expect(logged).toMatchObject(log);
}

describe("docs/fallbacks.md worked example", () => {
  it("runs as written: primary down, backup answers, streamed or not, and the records show both", async () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/fallbacks.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Worked example"));
    const json = section.slice(section.indexOf("```json\n") + 8, section.indexOf("\n```", section.indexOf("```json")));
    // The doc's two servers: primary at a port nothing listens on (down), backup at the fault upstream.
    const body = JSON.parse(
      json
        .replace("https://primary.example.com/v1", `http://127.0.0.1:${await closedPort()}/v1`)
        .replace("https://backup.example.com/v1", `${e2e().faultUrl}/v1`),
    );
    const curl = section.match(/-d '(\{"messages".*\})'/)![1]!;
    const documentedHeader = section.match(/^served-model-name: (\S+)$/m)![1]!;
    expect(documentedHeader).toBe("backup");
    const { name } = body as { name: string };
    await ok(api("POST", "/api/2.0/serving-endpoints", { body }));
    await waitUntilReady(name);

    for (const stream of [false, true]) {
      const res = await api("POST", `/serving-endpoints/${name}/invocations`, {
        body: { ...JSON.parse(curl), ...(stream && { stream }) },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("served-model-name")).toBe(documentedHeader);
      if (stream) expect(streamedText(sseData(res.text))).toBe("Echo: Hello");
      else expect(res.body.choices[0].message.content).toBe("Echo: Hello");
    }

    await expectRecords(
      name,
      [
        ["backup", 2, 0],
        ["primary", 2, 2],
      ],
      {
        status_code: 200,
        served_entity_id: "backup",
        failed_attempts: [{ served_entity_name: "primary", status_code: 503, error_code: "TEMPORARILY_UNAVAILABLE" }],
      },
      2,
    );
    expect(doc).toContain(
      '"failed_attempts": [{"served_entity_name": "primary", ' +
        '"status_code": 503, "error_code": "TEMPORARILY_UNAVAILABLE"}]',
    );
  });
});

describe("fallbacks on the fault-injecting upstream", () => {
  it("a 503 falls back to the next entity, streamed and not; turned off, the 503 is the answer", async () => {
    const failing = entity("failing", "status-503", 100);
    const backup = entity("backup", null, 0);
    const name = await createEndpoint([failing, backup], { fallback_config: { enabled: false } });
    const off = await query(name);
    expect(off.status).toBe(503);
    expect(off.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(await upstreamRequests(backup.model)).toHaveLength(0);

    await ok(api("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: FALLBACKS_ON }));
    const plain = await eventually(
      () => query(name),
      (a) => a.status === 200,
      10_000,
    );
    expect(plain.status, plain.text).toBe(200);
    expect(plain.headers.get("served-model-name")).toBe("backup");
    expect(plain.body.choices[0].message.content).toBe("Echo: who answers?");
    const streamed = await query(name, { stream: true });
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.headers.get("served-model-name")).toBe("backup");
    expect(streamedText(streamed.events)).toBe("Echo: who answers?");
    expect(streamed.events.at(-1)).toBe("[DONE]");
    expect((await upstreamRequests(backup.model)).length).toBeGreaterThanOrEqual(2);

    await ok(
      api("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: { fallback_config: { enabled: false } } }),
    );
    const offAgain = await eventually(
      () => query(name),
      (a) => a.status === 503,
      10_000,
    );
    expect(offAgain.status).toBe(503);
  });

  it("the openai SDK gets the backup's answer, the header naming it", async () => {
    const name = await createEndpoint([entity("failing", "status-500", 100), entity("backup", null, 0)], FALLBACKS_ON);
    const openai = new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
    const { data, response } = await openai.chat.completions
      .create({ model: name, messages: [{ role: "user", content: "sdk" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Echo: sdk");
    expect(response.headers.get("served-model-name")).toBe("backup");
  });

  it("a stream whose headers stall past the idle deadline falls back once it passes", async () => {
    const stalled = entity("stalled", "stall-before-headers", 100);
    const name = await createEndpoint([stalled, entity("backup", null, 0)], FALLBACKS_ON);
    const answer = await query(name, { stream: true });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("served-model-name")).toBe("backup");
    expect(streamedText(answer.events)).toBe("Echo: who answers?");
    expect(answer.ms).toBeGreaterThanOrEqual(idleMs() - 100);
    expect(answer.ms).toBeLessThan(idleMs() + SLACK_MS);
    const [upstream] = await upstreamRequests(stalled.model);
    expect(upstream!.closedAfterMs, "the stalled upstream is let go").not.toBeNull();
  });

  it("a failure after a stream's first byte does not fall back: the error event ends the stream", async () => {
    const broken = entity("broken", "reset-mid-stream", 100);
    const backup = entity("backup", null, 0);
    const name = await createEndpoint([broken, backup], FALLBACKS_ON);
    const answer = await query(name, { stream: true, content: "one two three four" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("served-model-name")).toBe("broken");
    expect(streamedText(answer.events)).toBe("Echo: one ");
    expect(answer.events).not.toContain("[DONE]");
    expect(answer.events.at(-1)).toEqual({
      error: { error_code: "BAD_GATEWAY", message: expect.stringMatching(/broke off mid-answer/) },
    });
    expect(await upstreamRequests(backup.model)).toHaveLength(0);
  });

  it("when every entity fails, the last one's error is the answer, and every attempt is recorded", async () => {
    const first = entity("first", "status-503", 100);
    const second = entity("second", "status-502", 0);
    const last = entity("last", "status-500", 0);
    const name = await createEndpoint([first, second, last], {
      ...FALLBACKS_ON,
      usage_tracking_config: { enabled: true },
      inference_table_config: { enabled: true },
    });
    for (const stream of [false, true]) {
      const answer = await query(name, { stream });
      expect(answer.status, answer.text).toBe(502);
      expect(answer.headers.get("served-model-name")).toBeNull();
      expect(answer.body).toMatchObject({
        error_code: "BAD_GATEWAY",
        message:
          "The provider 'custom' failed (HTTP 500): The server had " +
          "an error while processing your request. Sorry about that!",
      });
    }
    for (const e of [first, second, last]) expect(await upstreamRequests(e.model), e.name).toHaveLength(2);

    await expectRecords(
      name,
      [
        ["first", 2, 2],
        ["last", 2, 2],
        ["second", 2, 2],
      ],
      {
        status_code: 502,
        served_entity_id: null,
        failed_attempts: [
          { served_entity_name: "first", status_code: 503, error_code: "TEMPORARILY_UNAVAILABLE" },
          { served_entity_name: "second", status_code: 502, error_code: "BAD_GATEWAY" },
          { served_entity_name: "last", status_code: 502, error_code: "BAD_GATEWAY" },
        ],
      },
      2,
    );
  });

  it("an entity at 0 % answers only as a fallback", async () => {
    const steady = entity("steady", null, 100);
    const spare = entity("spare", null, 0);
    const name = await createEndpoint([steady, spare], FALLBACKS_ON);
    for (let i = 0; i < 10; i++) {
      const answer = await query(name);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("served-model-name")).toBe("steady");
    }
    expect(await upstreamRequests(steady.model)).toHaveLength(10);
    expect(await upstreamRequests(spare.model)).toHaveLength(0);
  });
});

const upstash = (e2e() as { upstash?: unknown }).upstash;

describe.skipIf(!upstash)("fallbacks and rate limits (Upstash bridge + redis-server)", () => {
  it("a `calls` limit counts the client's query once, however many entities it tried", async () => {
    const name = await createEndpoint([entity("failing", "status-503", 100), entity("backup", null, 0)], {
      ...FALLBACKS_ON,
      rate_limits: [{ calls: 3, key: "endpoint", renewal_period: "minute" }],
    });
    // The limiter's windows are whole minutes: start with room left in this one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 500));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await query(name)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
