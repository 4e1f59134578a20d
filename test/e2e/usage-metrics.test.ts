/**
 * Usage tracking and metrics on the real stack: queries answered by `wrangler dev` go through the
 * local `edgeserve-usage` queue to the consumer and D1, and come back out of GET …/usage and …/metrics.
 */
import { describe, expect, it } from "vitest";
import { readPrometheus } from "../../workers/gateway/test/prometheus";
import { api, createMockEndpoint, ok } from "./helpers";

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("usage tracking and metrics", () => {
  it("counts concurrent queries exactly once in metrics and usage", async () => {
    const ep = await createMockEndpoint("llm/v1/chat", { prefix: "usage" });
    await ok(
      api("PUT", `/api/2.0/serving-endpoints/${ep.name}/ai-gateway`, {
        body: { usage_tracking_config: { enabled: true } },
      }),
    );

    const n = 8;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        api("POST", `/serving-endpoints/${ep.name}/invocations`, {
          body: { messages: [{ role: "user", content: `question ${i}` }] },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(n).fill(200));
    const bad = await api("POST", `/serving-endpoints/${ep.name}/invocations`, { body: { messages: 42 } });
    expect(bad.status).toBe(400);
    const promptTokens = answers.reduce((sum, a) => sum + a.body.usage.prompt_tokens, 0);
    const completionTokens = answers.reduce((sum, a) => sum + a.body.usage.completion_tokens, 0);

    const metrics = await eventually(
      async () => readPrometheus((await api("GET", `/api/2.0/serving-endpoints/${ep.name}/metrics`)).text),
      (m) =>
        m.counter("edgeserve_requests_total", {}) >= n + 1 &&
        m.counter("edgeserve_tokens_total", { direction: "output" }) >= completionTokens,
    );
    expect(metrics.counter("edgeserve_requests_total", { served_entity: "mock", status_code: "200" })).toBe(n);
    expect(metrics.counter("edgeserve_requests_total", { served_entity: "mock", status_code: "400" })).toBe(1);
    expect(metrics.histogram("edgeserve_request_latency_ms", { served_entity: "mock" }).count).toBe(n + 1);
    expect(metrics.counter("edgeserve_tokens_total", { served_entity: "mock", direction: "input" })).toBe(promptTokens);
    expect(metrics.counter("edgeserve_tokens_total", { served_entity: "mock", direction: "output" })).toBe(
      completionTokens,
    );

    const usage = await ok(api("GET", `/api/2.0/serving-endpoints/${ep.name}/usage?group_by=served_entity`));
    expect(usage.usage).toEqual([
      {
        group: "mock",
        request_count: n,
        error_count: 0,
        input_tokens: promptTokens,
        output_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        estimated_count: 0,
      },
    ]);
  });
});
