import { env } from "cloudflare:workers";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, call, callAndLeave } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

function endpointOfTask(name: string, task: string) {
  const body = customChatEndpoint(name);
  body.config.served_entities[0]!.external_model.task = task;
  return body;
}

describe("query path", () => {
  it(
    "forwards a chat query to the custom provider with " + "the decrypted token and the served-model-name header",
    async () => {
      await createReadyEndpoint(customChatEndpoint("q-chat"));
      upstream = fakeOpenAiUpstream();
      const res = await call("POST", "/serving-endpoints/q-chat/invocations", {
        body: {
          messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
          max_tokens: 5,
          client_request_id: "abc",
          usage_context: { team: "x" },
          extra_params: { seed: 7 },
        },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("served-model-name")).toBe("primary");
      expect(res.json.choices[0].message.content).toBe("Hello");
      const sent = upstream.calls[0]!;
      expect(sent.url).toBe("https://upstream.test/v1/chat/completions");
      expect(sent.headers.authorization).toBe("Bearer sk-upstream-secret-123");
      expect(sent.body).toEqual({
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        max_tokens: 5,
        seed: 7,
        model: "gpt-test",
      });
    },
  );

  it("streams SSE through as it arrives", async () => {
    await createReadyEndpoint(customChatEndpoint("q-stream"));
    upstream = fakeOpenAiUpstream();
    const res = await call("POST", "/serving-endpoints/q-stream/invocations", {
      body: { messages: [{ role: "user", content: "hi" }], stream: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.text).toContain('"delta":{"role":"assistant","content":"Hel"}');
    expect(res.text.trim().endsWith("data: [DONE]")).toBe(true);
  });

  it("serves the OpenAI-compatible routes with model = endpoint name, and refuses the wrong task", async () => {
    await createReadyEndpoint(customChatEndpoint("q-oai"));
    await createReadyEndpoint(endpointOfTask("q-emb", "llm/v1/embeddings"));
    await createReadyEndpoint(endpointOfTask("q-cmp", "llm/v1/completions"));
    upstream = fakeOpenAiUpstream();
    const chat = await call("POST", "/serving-endpoints/chat/completions", {
      body: { model: "q-oai", messages: [{ role: "user", content: "hi" }] },
    });
    expect(chat.status, chat.text).toBe(200);
    const emb = await call("POST", "/serving-endpoints/embeddings", { body: { model: "q-emb", input: ["a", "b"] } });
    expect(emb.json.data).toHaveLength(2);
    const cmp = await call("POST", "/serving-endpoints/completions", { body: { model: "q-cmp", prompt: "say" } });
    expect(cmp.json.choices[0].text).toBe("done");
    const wrong = await call("POST", "/serving-endpoints/embeddings", { body: { model: "q-oai", input: "a" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toContain("serves llm/v1/chat");
    const missing = await call("POST", "/serving-endpoints/chat/completions", { body: { messages: [] } });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toContain("'model'");
  });

  it("routes to one named served entity and splits traffic by percentage", async () => {
    const body = customChatEndpoint("q-split");
    const first = body.config.served_entities[0]!;
    const second = { ...first, name: "second", external_model: { ...first.external_model, name: "gpt-other" } };
    await createReadyEndpoint({
      ...body,
      config: {
        served_entities: [first, second],
        traffic_config: {
          routes: [
            { served_entity_name: "primary", traffic_percentage: 80 },
            { served_entity_name: "second", traffic_percentage: 20 },
          ],
        },
      },
    });
    upstream = fakeOpenAiUpstream();
    const direct = await call("POST", "/serving-endpoints/q-split/served-models/second/invocations", {
      body: { messages: [{ role: "user", content: "x" }] },
    });
    expect(direct.headers.get("served-model-name")).toBe("second");
    expect(upstream.calls[0]!.body.model).toBe("gpt-other");
    const counts = { primary: 0, second: 0 } as Record<string, number> & { primary: number; second: number };
    for (let i = 0; i < 100; i++) {
      const res = await call("POST", "/serving-endpoints/q-split/invocations", {
        body: { messages: [{ role: "user", content: "x" }] },
      });
      counts[res.headers.get("served-model-name")!]!++;
    }
    // 100 draws at p=0.8 (sd 4): falling outside [60, 97] has a chance below 1e-5.
    expect(counts.primary).toBeGreaterThanOrEqual(60);
    expect(counts.primary).toBeLessThanOrEqual(97);
    expect(counts.primary + counts.second).toBe(100);
    const unknown = await call("POST", "/serving-endpoints/q-split/served-models/nope/invocations", {
      body: { messages: [{ role: "user", content: "x" }] },
    });
    expect(unknown.status).toBe(404);
  });

  it("maps upstream errors to Databricks errors without leaking the key", async () => {
    await createReadyEndpoint(customChatEndpoint("q-err"));
    const query = { body: { messages: [{ role: "user", content: "x" }] } };
    const cases: [number, number, string][] = [
      [400, 400, "INVALID_PARAMETER_VALUE"],
      [401, 502, "BAD_GATEWAY"],
      [429, 429, "REQUEST_LIMIT_EXCEEDED"],
      [500, 502, "BAD_GATEWAY"],
      [503, 503, "TEMPORARILY_UNAVAILABLE"],
    ];
    for (const [upstreamStatus, status, code] of cases) {
      upstream = fakeOpenAiUpstream({
        status: upstreamStatus,
        headers: upstreamStatus === 429 ? { "retry-after": "7" } : {},
      });
      const res = await call("POST", "/serving-endpoints/q-err/invocations", query);
      expect(res.status, `${upstreamStatus}`).toBe(status);
      expect(res.json.error_code).toBe(code);
      expect(res.text).not.toContain("sk-upstream-secret-123");
      if (upstreamStatus === 429) expect(res.headers.get("retry-after")).toBe("7");
      if (upstreamStatus === 400) expect(res.json.message).toContain("upstream says no");
      upstream.restore();
    }
    upstream = null;
    const logs = await call("GET", "/api/2.0/serving-endpoints/q-err/served-models/primary/logs");
    expect(logs.json.logs).toContain("INFO Serving config version 1 with 100% of traffic.");
    expect(logs.json.logs).toMatch(/(ERROR 502 BAD_GATEWAY|WARN 429 REQUEST_LIMIT_EXCEEDED)/);
    expect(logs.json.logs).not.toContain("sk-upstream-secret-123");
  });

  it("logs what the upstream said behind a 502, credentials cut out, and never tells the client", async () => {
    await createReadyEndpoint(customChatEndpoint("q-cause"));
    const errorBody = { error: { message: "key sk-upstream-secret-123 revoked by admin@corp" } };
    upstream = fakeOpenAiUpstream({ status: 401, errorBody });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call("POST", "/serving-endpoints/q-cause/invocations", {
      body: { messages: [{ role: "user", content: "x" }] },
    });
    expect(res.status).toBe(502);
    expect(res.text).not.toContain("revoked by admin@corp");
    const workerLog = logged.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(workerLog).toContain("key [REDACTED] revoked by admin@corp");
    const logs = await call("GET", "/api/2.0/serving-endpoints/q-cause/served-models/primary/logs");
    expect(logs.json.logs).toContain("(caused by: The provider 'custom' answered HTTP 401:");
    expect(logs.json.logs).toContain("key [REDACTED] revoked by admin@corp");
    expect(`${logs.json.logs}${workerLog}`).not.toContain("sk-upstream-secret-123");
    logged.mockRestore();
  });

  it("logs the cause of a stream that fails after its first bytes, credentials cut out, as a 5xx's", async () => {
    await createReadyEndpoint(customChatEndpoint("q-mid"));
    upstream = fakeOpenAiUpstream({
      streamError: { message: "key sk-upstream-secret-123 over quota", type: "server_error", code: "quota" },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call("POST", "/serving-endpoints/q-mid/invocations", {
      body: { messages: [{ role: "user", content: "x" }], stream: true },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"content":"Hel"');
    expect(res.text).toContain('"error_code":"BAD_GATEWAY"');
    expect(res.text).not.toContain("sk-upstream-secret-123");
    const workerLog = logged.mock.calls.map((args) => args.join(" ")).join("\n");
    logged.mockRestore();
    const line = JSON.parse(workerLog.split("\n").find((l) => l.includes("failed mid-stream"))!);
    expect(line).toMatchObject({ level: "error", status: 502, error_code: "BAD_GATEWAY" });
    expect(line.requestId).toBe(res.headers.get("x-request-id"));
    expect(line.cause).toContain("The provider 'custom' sent the stream event:");
    expect(line.cause).toContain('"code":"quota"');
    expect(line.cause).toContain("key [REDACTED] over quota");
    expect(workerLog).not.toContain("sk-upstream-secret-123");
  });

  it("validates query bodies and limits their size", async () => {
    await createReadyEndpoint(customChatEndpoint("q-bad"));
    upstream = fakeOpenAiUpstream();
    const noMessages = await call("POST", "/serving-endpoints/q-bad/invocations", { body: { prompt: "x" } });
    expect(noMessages.status).toBe(400);
    expect(noMessages.json.message).toContain("'messages'");
    const badTemp = await call("POST", "/serving-endpoints/q-bad/invocations", {
      body: { messages: [{ role: "user", content: "x" }], temperature: "hot" },
    });
    expect(badTemp.status).toBe(400);
    expect(badTemp.json.message).toContain("'temperature'");
    const huge = await call("POST", "/serving-endpoints/q-bad/invocations", {
      body: { messages: [{ role: "user", content: "x".repeat(5 * 1024 * 1024) }] },
    });
    expect(huge.status).toBe(413);
    expect(huge.json.message).toContain("4 MB");
    expect(upstream.calls).toHaveLength(0);
    const unknown = await call("POST", "/serving-endpoints/nope/invocations", { body: { messages: [] } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toBe("Endpoint with name 'nope' not found.");
  });

  it("cancels the upstream call when the client goes away", async () => {
    await createReadyEndpoint(customChatEndpoint("q-cancel"));
    upstream = fakeOpenAiUpstream({ delayMs: 10_000 });
    const body = { messages: [{ role: "user", content: "x" }], stream: true };
    await callAndLeave("/serving-endpoints/q-cancel/invocations", body, () =>
      vi.waitFor(() => expect(upstream!.calls).toHaveLength(1)),
    );
    await vi.waitFor(() => expect(upstream!.state.aborted).toBe(1), { timeout: 3000 });
  });

  it(
    "hands one usage record per query to the usage module: provider counts, " +
      "estimates for streams without counts, failures with their status",
    async () => {
      await createReadyEndpoint(customChatEndpoint("q-usage"));
      upstream = fakeOpenAiUpstream({ delayMs: 40 });
      const sentAt = Date.now();
      await call("POST", "/serving-endpoints/q-usage/invocations", {
        body: { messages: [{ role: "user", content: "hi" }], client_request_id: "req-7", usage_context: { app: "x" } },
      });
      const waitedMs = Date.now() - sentAt;
      const streamed = await call("POST", "/serving-endpoints/q-usage/invocations", {
        body: { messages: [{ role: "user", content: "hi" }], stream: true },
      });
      const events = streamed.text
        .split("\n\n")
        .filter((e) => e && e !== "data: [DONE]")
        .map((e) => JSON.parse(e.slice("data: ".length)));
      // The client did not ask for a usage chunk: none, but the usage rides on the finish chunk as in
      // Databricks' streams
      // (estimated here).
      expect(events.filter((e) => e.choices.length === 0)).toEqual([]);
      expect(events.at(-1)).toMatchObject({
        choices: [{ finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      });
      expect(upstream.calls[1]!.body.stream_options).toEqual({ include_usage: true });
      upstream.restore();
      upstream = fakeOpenAiUpstream({ status: 500 });
      await call("POST", "/serving-endpoints/q-usage/invocations", {
        body: { messages: [{ role: "user", content: "hi" }] },
      });
      // Usage records reach D1 through the usage queue.
      const db = openDatabase(env.DB);
      const rows = await vi.waitFor(
        async () => {
          const found = await db.select().from(usageRecords).where(eq(usageRecords.endpointName, "q-usage"));
          expect(found).toHaveLength(3);
          return found;
        },
        { timeout: 15_000, interval: 200 },
      );
      const plain = rows.find((r) => !r.stream && r.status === 200)!;
      expect(plain).toMatchObject({
        endpointName: "q-usage",
        servedEntity: "primary",
        requester: "admin",
        requesterKind: "user",
        clientRequestId: "req-7",
        usageContext: { app: "x" },
        promptTokens: 5,
        completionTokens: 1,
        estimated: false,
        status: 200,
        stream: false,
        provider: "custom",
        task: "llm/v1/chat",
      });
      expect(rows.find((r) => r.stream)).toMatchObject({
        stream: true,
        estimated: true,
        completionTokens: 2,
        status: 200,
      });
      expect(rows.find((r) => r.status !== 200)).toMatchObject({ status: 502, completionTokens: 0 });
      // The upstream's 40 ms are in it, and it is no more than the client waited.
      expect(plain.latencyMs).toBeGreaterThanOrEqual(40);
      expect(plain.latencyMs).toBeLessThanOrEqual(waitedMs);
    },
  );

  it("answers a query during the first deployment with 503 and Retry-After", async () => {
    const res = await call("POST", "/api/2.0/serving-endpoints", { body: customChatEndpoint("q-early") });
    expect(res.status).toBe(200);
    const early = await call("POST", "/serving-endpoints/q-early/invocations", {
      body: { messages: [{ role: "user", content: "x" }] },
      token: ADMIN_TOKEN,
    });
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("2");
  });
});
