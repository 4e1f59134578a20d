import { describe, expect, it } from "vitest";
import type { GatewayClient, RawAnswer } from "../gateway/gateway-client";
import { type BatchItem, createCallRunner } from "./call-runner";
import { createCounters, readCounters } from "./counters";
import { DEFAULT_RETRY_POLICY } from "./retry";

const chatAnswer = (content: string): RawAnswer => {
  const body = { choices: [{ message: { content } }], usage: { prompt_tokens: 3, completion_tokens: 2 } };
  return { status: 200, retryAfter: null, body, text: JSON.stringify(body) };
};
const errorAnswer = (status: number, code: string, retryAfter: string | null = null): RawAnswer => {
  const body = { error_code: code, message: `${code} happened` };
  return { status, retryAfter, body, text: JSON.stringify(body) };
};

function item(key: string, request: string): BatchItem {
  return {
    key,
    spec: JSON.stringify({ fn: "ai_query", mode: "text", resultIsText: true }),
    payload: JSON.stringify({ endpoint: "chat", request }),
  };
}

/** A gateway whose invocations answer by `answer(body, attempt)`, counting what is in flight. */
function fakeGateway(answer: (request: string, attempt: number) => RawAnswer) {
  const attempts = new Map<string, number>();
  const sent: Record<string, any>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client: GatewayClient = {
    invoke: async (_endpoint, body) => {
      sent.push(body);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      const request = (body as any).messages[0].content as string;
      const n = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, n);
      return answer(request, n);
    },
    getEndpoint: async (name) => ({ name, task: "llm/v1/chat" }),
    listEndpoints: async () => [],
    usageRecords: async () => ({ records: [] }),
    payloadLogs: async () => ({ records: [] }),
  };
  return { client, sent, maxInFlight: () => maxInFlight };
}

describe("createCallRunner", () => {
  it("keeps at most `concurrency` calls in flight and tags each with the statement", async () => {
    const gateway = fakeGateway((r) => chatAnswer(`answer to ${r}`));
    const counters = createCounters();
    const run = createCallRunner({ client: gateway.client, concurrency: 3, retry: DEFAULT_RETRY_POLICY, counters });
    const items = Array.from({ length: 20 }, (_, i) => item(`k${i}`, `q${i}`));
    const outcomes = await run(items, "stmt-1");
    expect(outcomes.get("k7")).toEqual({ ok: true, value: "answer to q7" });
    expect(gateway.maxInFlight()).toBe(3);
    expect(
      gateway.sent.every((b) => b.usage_context.statement_id === "stmt-1" && b.usage_context.source === "ai_query"),
    ).toBe(true);
    expect(readCounters(counters)).toMatchObject({
      calls: 20,
      retries: 0,
      errors: 0,
      inputTokens: 60,
      outputTokens: 40,
    });
  });

  it("retries 429 and 503 after the Retry-After they ask for, and gives up after maxRetries", async () => {
    const gateway = fakeGateway((r, n) =>
      r === "always-busy"
        ? errorAnswer(503, "TEMPORARILY_UNAVAILABLE")
        : n < 3
          ? errorAnswer(429, "REQUEST_LIMIT_EXCEEDED", "2")
          : chatAnswer("ok"),
    );
    const waits: number[] = [];
    const counters = createCounters();
    const run = createCallRunner({
      client: gateway.client,
      concurrency: 2,
      retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 5_000 },
      counters,
      sleep: async (ms) => void waits.push(ms),
    });
    const outcomes = await run([item("a", "busy-twice"), item("b", "always-busy")], "s");
    expect(outcomes.get("a")).toEqual({ ok: true, value: "ok" });
    expect(outcomes.get("b")).toEqual({
      ok: false,
      error: "TEMPORARILY_UNAVAILABLE: TEMPORARILY_UNAVAILABLE happened (after 4 attempts)",
    });
    expect(waits.filter((w) => w === 2_000)).toHaveLength(2);
    expect(readCounters(counters)).toMatchObject({ calls: 7, retries: 5, errors: 1 });
  });

  it("does not retry the caller's mistakes: a 400 is the row's error at once", async () => {
    const gateway = fakeGateway(() => errorAnswer(400, "INVALID_PARAMETER_VALUE"));
    const run = createCallRunner({
      client: gateway.client,
      concurrency: 1,
      retry: DEFAULT_RETRY_POLICY,
      counters: createCounters(),
    });
    const outcomes = await run([item("a", "x")], "s");
    expect(outcomes.get("a")).toEqual({
      ok: false,
      error: "INVALID_PARAMETER_VALUE: INVALID_PARAMETER_VALUE happened",
    });
    expect(gateway.sent).toHaveLength(1);
  });
});
