/**
 * The fault-injection suite: chat endpoints (provider `custom`) on the fault-injecting upstream
 * (test/mocks/fault-upstream.ts), one per fault, queried through the real stack with raw HTTP, the
 * openai SDK and Anthropic's SDK (through the Anthropic ingress). Before its first byte a failure is a
 * clear Databricks-style status; after it, an error event `{"error":{error_code,message}}` and the end of
 * the stream. Nothing waits past its deadline (the stack runs with EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S=3),
 * and each query lands exactly once in the usage records and in the payload logs.
 */
import crypto from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { FAULTS, type FaultRequest, SLOW_BODY_GAP_MS } from "../mocks/fault-upstream";
import { api, e2e, ok, sseData, uniqueName, waitUntilReady } from "./helpers";

type FaultKey = (typeof FAULTS)[number];

const tag = crypto.randomBytes(3).toString("hex");
const endpoints = {} as Record<FaultKey, string>;
/** Every query sent to each endpoint, and the status its client got (200 for streams that failed mid-way). */
const sent = {} as Record<FaultKey, number[]>;
const startedAt = Date.now();
const idleMs = () => e2e().upstreamIdleTimeoutS * 1000;
/** Slack for the stack's own latency on a busy 2-core machine. */
const SLACK_MS = 2_500;

const modelOf = (fault: FaultKey) => `fault-${fault}-${tag}`;

async function createFaultEndpoint(fault: FaultKey): Promise<string> {
  const name = uniqueName(`flt-${fault}`);
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: {
          served_entities: [
            {
              name: "faulty",
              external_model: {
                name: modelOf(fault),
                provider: "custom",
                task: "llm/v1/chat",
                custom_provider_config: {
                  custom_provider_url: `${e2e().faultUrl}/v1`,
                  bearer_token_auth: { token_plaintext: `sk-fault-${tag}` },
                },
              },
            },
          ],
        },
        ai_gateway: { usage_tracking_config: { enabled: true }, inference_table_config: { enabled: true } },
      },
    }),
  );
  await waitUntilReady(name);
  return name;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The SSE `data:` payloads (JSON parsed) of a stream. */
  events: unknown[];
  ms: number;
}

/** One chat query as curl would send it, timed. */
async function query(fault: FaultKey, options: { stream: boolean; content?: string }): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`${e2e().url}/serving-endpoints/${endpoints[fault]}/invocations`, {
    method: "POST",
    headers: { authorization: `Bearer ${e2e().adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      messages: [{ role: "user", content: options.content ?? "tell me about faults" }],
      stream: options.stream,
    }),
  });
  const text = await res.text();
  (sent[fault] ??= []).push(res.status);
  return {
    status: res.status,
    headers: res.headers,
    text,
    events: res.headers.get("content-type")?.includes("text/event-stream") ? sseData(text) : [],
    ms: Date.now() - started,
  };
}

function errorBody(answer: Answer): { error_code: string; message: string } {
  return JSON.parse(answer.text) as { error_code: string; message: string };
}

/** The text the deltas of a stream carried. */
function streamedText(events: unknown[]): string {
  return events.map((e: any) => e?.choices?.[0]?.delta?.content ?? "").join("");
}

async function upstreamRequests(fault: FaultKey): Promise<FaultRequest[]> {
  const res = await fetch(`${e2e().faultUrl}/__mock/requests?model=${encodeURIComponent(modelOf(fault))}`);
  return ((await res.json()) as { requests: FaultRequest[] }).requests;
}

/** Asserts a stream that failed after its first bytes: 200, the error event last, no [DONE]. */
function expectErrorEventLast(answer: Answer, code: string, message: RegExp) {
  expect(answer.status).toBe(200);
  expect(answer.events).not.toContain("[DONE]");
  expect(answer.events.at(-1)).toEqual({ error: { error_code: code, message: expect.stringMatching(message) } });
}

const openai = () => new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });

describe("upstream faults", () => {
  beforeAll(async () => {
    await Promise.all(FAULTS.map(async (fault) => (endpoints[fault] = await createFaultEndpoint(fault))));
  });

  describe("before the first byte: a clear status", () => {
    it("an upstream 500 is 502 BAD_GATEWAY with the provider's message, streamed or not", async () => {
      for (const stream of [false, true]) {
        const answer = await query("status-500", { stream });
        expect(answer.status).toBe(502);
        expect(errorBody(answer)).toMatchObject({
          error_code: "BAD_GATEWAY",
          message:
            "The provider 'custom' failed (HTTP 500): The server had " +
            "an error while processing your request. Sorry about that!",
        });
      }
    });

    it("an upstream 502 with an HTML body is 502, and an upstream 503 is 503 with its Retry-After", async () => {
      const bad = await query("status-502", { stream: true });
      expect(bad.status).toBe(502);
      expect(errorBody(bad).message).toMatch(/^The provider 'custom' failed \(HTTP 502\): <html>/);
      const unavailable = await query("status-503", { stream: false });
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get("retry-after")).toBe("3");
      expect(errorBody(unavailable)).toMatchObject({
        error_code: "TEMPORARILY_UNAVAILABLE",
        message: "The provider 'custom' is unavailable: The engine is currently overloaded, please try again later.",
      });
    });

    it("a connection reset before the headers is 503 TEMPORARILY_UNAVAILABLE, streamed or not", async () => {
      for (const stream of [false, true]) {
        const answer = await query("reset-before-headers", { stream });
        expect(answer.status).toBe(503);
        expect(errorBody(answer)).toMatchObject({
          error_code: "TEMPORARILY_UNAVAILABLE",
          message: expect.stringMatching(/^Could not reach the provider 'custom'/),
        });
      }
    });

    it(
      "a stream whose headers stall is 504 once the idle " + "deadline passes, and the gateway lets go of the upstream",
      async () => {
        const answer = await query("stall-before-headers", { stream: true });
        expect(answer.status).toBe(504);
        expect(errorBody(answer)).toMatchObject({
          error_code: "DEADLINE_EXCEEDED",
          message:
            `The provider 'custom' did not start its stream within ` +
            `${e2e().upstreamIdleTimeoutS} s (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).`,
        });
        expect(answer.ms).toBeGreaterThanOrEqual(idleMs() - 100);
        expect(answer.ms).toBeLessThan(idleMs() + SLACK_MS);
        const upstream = (await upstreamRequests("stall-before-headers")).at(-1)!;
        expect(upstream.closedAfterMs, "the upstream connection was closed by the gateway").not.toBeNull();
        expect(upstream.closedAfterMs!).toBeLessThan(idleMs() + SLACK_MS);
      },
    );

    it("a plain answer whose body breaks off or stalls is 502 / 504, never a 200 with half a body", async () => {
      const reset = await query("reset-mid-stream", { stream: false });
      expect(reset.status).toBe(502);
      expect(errorBody(reset)).toMatchObject({
        error_code: "BAD_GATEWAY",
        message: expect.stringMatching(/^The connection to the provider 'custom' broke off mid-answer/),
      });
      const stalled = await query("stall-mid-stream", { stream: false });
      expect(stalled.status).toBe(504);
      expect(errorBody(stalled)).toMatchObject({
        error_code: "DEADLINE_EXCEEDED",
        message:
          `The provider 'custom' did not send its whole answer within ` +
          `${e2e().upstreamIdleTimeoutS} s of its headers (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).`,
      });
      expect(stalled.ms).toBeLessThan(idleMs() + SLACK_MS);
      // The plain answer is read natively under the call's signal: aborting it closes the upstream connection.
      const upstream = (await upstreamRequests("stall-mid-stream")).at(-1)!;
      expect(upstream.closedAfterMs, "the gateway let go of the stalled upstream").not.toBeNull();
      expect(upstream.closedAfterMs!).toBeLessThan(idleMs() + SLACK_MS);
    });

    it("a changed field is a 502 that names it, streamed or not", async () => {
      const plain = await query("changed-field", { stream: false });
      expect(plain.status).toBe(502);
      expect(errorBody(plain)).toEqual(
        expect.objectContaining({
          error_code: "BAD_GATEWAY",
          message:
            "The provider 'custom' sent a response this gateway cannot read: 'choices' is object, expected array.",
        }),
      );
      const streamed = await query("changed-field", { stream: true });
      expect(streamed.status).toBe(502);
      expect(errorBody(streamed).message).toBe(
        "The provider 'custom' sent a stream event this gateway cannot read: 'choices' is object, expected array.",
      );
    });
  });

  describe("after the first byte: an error event, and the stream ends", () => {
    it("a connection reset mid-stream: the text so far, then BAD_GATEWAY", async () => {
      const answer = await query("reset-mid-stream", { stream: true, content: "one two three four" });
      expect(streamedText(answer.events)).toBe("Echo: one ");
      expectErrorEventLast(answer, "BAD_GATEWAY", /^The connection to the provider 'custom' broke off mid-answer/);
    });

    it(
      "a stall between chunks ends with DEADLINE_EXCEEDED once " +
        "the idle deadline passes, and the upstream is let go",
      async () => {
        const answer = await query("stall-mid-stream", { stream: true });
        expectErrorEventLast(
          answer,
          "DEADLINE_EXCEEDED",
          /^The provider 'custom' sent nothing for 3 s \(EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S\)\.$/,
        );
        expect(answer.ms).toBeGreaterThanOrEqual(idleMs() - 100);
        expect(answer.ms).toBeLessThan(idleMs() + SLACK_MS);
        const upstream = (await upstreamRequests("stall-mid-stream")).at(-1)!;
        expect(upstream.closedAfterMs).not.toBeNull();
        expect(upstream.closedAfterMs!).toBeLessThan(idleMs() + SLACK_MS);
      },
    );

    it(
      "a stream cut off (no finish_reason, no [DONE]; or mid-line) " +
        "ends with BAD_GATEWAY, not a [DONE] that would pass it for whole",
      async () => {
        for (const fault of ["truncated", "cut-mid-line"] as const) {
          const answer = await query(fault, { stream: true });
          expectErrorEventLast(answer, "BAD_GATEWAY", /^The provider 'custom' ended its stream before it was complete/);
        }
      },
    );

    it("an event that is not JSON ends the stream with BAD_GATEWAY naming the provider", async () => {
      const answer = await query("invalid-json", { stream: true });
      expectErrorEventLast(
        answer,
        "BAD_GATEWAY",
        /^The provider 'custom' sent a stream event this gateway cannot read: it is not JSON/,
      );
    });

    it("the upstream's own error event becomes ours, with its message", async () => {
      const answer = await query("error-event", { stream: true });
      expectErrorEventLast(
        answer,
        "BAD_GATEWAY",
        /^The provider 'custom' failed mid-stream: The model had an error while generating your answer\.$/,
      );
    });

    it("the openai SDK throws the error event's message, after the text that came before it", async () => {
      const stream = await openai().chat.completions.create({
        model: endpoints["stall-mid-stream"],
        messages: [{ role: "user", content: "sdk stall" }],
        stream: true,
      });
      (sent["stall-mid-stream"] ??= []).push(200);
      let text = "";
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().catch((e) => e);
      expect(text).toBe("Echo: sdk ");
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.message).toMatch(/sent nothing for 3 s/);
    });

    it("Anthropic's SDK (through the Anthropic ingress) gets Anthropic's error event and throws", async () => {
      const anthropic = new Anthropic({
        baseURL: `${e2e().url}/serving-endpoints/anthropic`,
        apiKey: e2e().adminToken,
        maxRetries: 0,
      });
      const stream = anthropic.messages.stream({
        model: endpoints["reset-mid-stream"],
        max_tokens: 64,
        messages: [{ role: "user", content: "anthropic reset" }],
      });
      (sent["reset-mid-stream"] ??= []).push(200);
      let text = "";
      stream.on("text", (t) => (text += t));
      const error = await stream.finalMessage().catch((e) => e);
      expect(text).toBe("Echo: anthropic ");
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(String(error.message)).toMatch(/broke off mid-answer/);
    });
  });

  it(
    "a provider that echoes the endpoint's credential in its errors " +
      "never shows it to the client, before or after the first byte",
    async () => {
      const key = `sk-fault-${tag}`;
      const plain = await query("echo-credentials", { stream: false });
      expect(plain.status).toBe(400);
      expect(errorBody(plain).message).toBe(
        `The provider 'custom' rejected the request: The key Bearer ` +
          `[REDACTED] may not call ${modelOf("echo-credentials")}.`,
      );
      const streamed = await query("echo-credentials", { stream: true });
      expectErrorEventLast(
        streamed,
        "BAD_GATEWAY",
        /^The provider 'custom' failed mid-stream: The key Bearer \[REDACTED\] ran out of quota\.$/,
      );
      expect(plain.text + streamed.text).not.toContain(key);
    },
  );

  it(
    "a slow trickle within the idle deadline is answered " + "whole, though it takes longer than the deadline",
    async () => {
      const answer = await query("slow-body", { stream: true, content: "slow and steady wins the race" });
      expect(answer.status).toBe(200);
      expect(streamedText(answer.events)).toBe("Echo: slow and steady wins the race");
      expect(answer.events.at(-1)).toBe("[DONE]");
      expect(SLOW_BODY_GAP_MS).toBeLessThan(idleMs());
      expect(answer.ms).toBeGreaterThan(idleMs());
    },
  );

  it(
    "every query lands exactly once in the usage records " + "and the payload logs, with the status its client saw",
    async () => {
      const wanted = FAULTS.filter((f) => sent[f]?.length);
      expect(wanted).toHaveLength(FAULTS.length);
      const deadline = Date.now() + 45_000;
      const counts = async (fault: FaultKey) => {
        const usage = await ok(
          api("GET", `/api/2.0/serving-endpoints/${endpoints[fault]}/usage?group_by=served_entity`),
        );
        const logs = await ok(
          api(
            "GET",
            `/api/2.0/serving-endpoints/${endpoints[fault]}/payload-logs` +
              `?start_time=${startedAt - 60_000}&max_results=100`,
          ),
        );
        return {
          usage: usage.usage as { request_count: number; error_count: number }[],
          logs: logs.payload_logs as { status_code: number; response: string | null }[],
        };
      };
      let last: Record<string, Awaited<ReturnType<typeof counts>>> = {};
      for (;;) {
        last = Object.fromEntries(await Promise.all(wanted.map(async (f) => [f, await counts(f)] as const)));
        const landed = wanted.every(
          (f) => (last[f]!.usage[0]?.request_count ?? 0) >= sent[f]!.length && last[f]!.logs.length >= sent[f]!.length,
        );
        if (landed || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      for (const fault of wanted) {
        const { usage, logs } = last[fault]!;
        const statuses = sent[fault]!;
        expect(usage, fault).toHaveLength(1);
        expect(usage[0]!.request_count, fault).toBe(statuses.length);
        // Streams that failed mid-way were 200 for their client but are errors in the usage records.
        expect(usage[0]!.error_count, fault).toBe(fault === "slow-body" ? 0 : statuses.length);
        expect(logs.map((l) => l.status_code).sort(), fault).toEqual([...statuses].sort());
      }
      // A stream that failed after its first bytes is logged with the error event its client got.
      const stalled = last["stall-mid-stream"]!.logs.find(
        (l) => l.status_code === 200 && l.response?.includes("DEADLINE_EXCEEDED"),
      );
      expect(stalled, "the payload log of the stalled stream holds its error event").toBeDefined();
    },
  );
});
