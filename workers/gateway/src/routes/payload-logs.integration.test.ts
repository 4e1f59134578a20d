import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createUserWithToken } from "../../test/principals";
import { gunzipJsonLines } from "../payload-logs/gzip-jsonl";

let upstream: { restore(): void } | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const logging = {
  ai_gateway: { inference_table_config: { catalog_name: "main", schema_name: "logs", enabled: true } },
};
const chat = { messages: [{ role: "user", content: "hi" }] };

/** Polls the read API until `count` records are there (the queue consumer writes them asynchronously). */
async function waitForLogs(name: string, count: number, since: number, timeoutMs = 20_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/2.0/serving-endpoints/${name}/payload-logs?start_time=${since}`);
    expect(res.status, res.text).toBe(200);
    if (res.json.payload_logs.length >= count) return res.json.payload_logs;
    if (Date.now() > deadline)
      throw new Error(`only ${res.json.payload_logs.length} of ${count} payload logs for ${name}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function idOf(name: string): Promise<string> {
  const res = await call("GET", `/api/2.0/serving-endpoints/${name}`);
  expect(res.status, res.text).toBe(200);
  return res.json.id;
}

/** Every stored payload-log byte of an endpoint, decompressed. */
async function storedText(name: string): Promise<string> {
  let text = "";
  for (const o of (await env.ARTIFACTS.list({ prefix: `payload-logs/${await idOf(name)}/` })).objects) {
    text += JSON.stringify(await gunzipJsonLines((await env.ARTIFACTS.get(o.key))!.body));
  }
  return text;
}

/** An OpenAI-compatible upstream answering one chat message of the given content; checks what it receives. */
function bigAnswerUpstream(content: string) {
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = (await request.json()) as any;
    if (body.model !== "gpt-test" || !Array.isArray(body.messages))
      return Response.json({ error: { message: "bad request" } }, { status: 400 });
    return Response.json({
      id: "c1",
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    });
  });
  return { restore: () => spy.mockRestore() };
}

describe("payload logging", () => {
  it("logs plain, streamed and OpenAI-route queries with the payload-table fields, and no secrets", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-chat", logging));
    upstream = fakeOpenAiUpstream({ delayMs: 40 });
    const since = Date.now() - 1;
    const plain = await call("POST", "/serving-endpoints/pl-chat/invocations", {
      body: { ...chat, client_request_id: "cli-1" },
      headers: { "x-request-id": "pl-req-plain" },
    });
    const plainWaitedMs = Date.now() - since - 1;
    expect(plain.status, plain.text).toBe(200);
    const streamed = await call("POST", "/serving-endpoints/pl-chat/invocations", {
      body: { ...chat, stream: true },
      headers: { "x-request-id": "pl-req-stream" },
    });
    expect(streamed.text).toContain("data: [DONE]");
    const openai = await call("POST", "/serving-endpoints/chat/completions", {
      body: { ...chat, model: "pl-chat" },
      headers: { "x-request-id": "pl-req-openai" },
    });
    expect(openai.status).toBe(200);

    const logs = await waitForLogs("pl-chat", 3, since);
    expect(logs.map((l) => l.databricks_request_id).sort()).toEqual(["pl-req-openai", "pl-req-plain", "pl-req-stream"]);
    const byId = Object.fromEntries(logs.map((l) => [l.databricks_request_id, l]));
    const first = byId["pl-req-plain"];
    expect(first).toMatchObject({
      client_request_id: "cli-1",
      status_code: 200,
      sampling_fraction: 1,
      served_entity_id: "primary",
      logging_error_codes: [],
      requester: "admin",
      request_metadata: { endpoint_name: "pl-chat", served_entity_name: "primary" },
    });
    expect(JSON.parse(first.request)).toEqual({ ...chat, client_request_id: "cli-1" });
    expect(JSON.parse(first.response)).toEqual(plain.json);
    expect(first.request_date).toBe(new Date(first.timestamp_ms).toISOString().slice(0, 10));
    expect(first.request_time).toBe(new Date(first.timestamp_ms).toISOString());
    // The upstream's 40 ms are in it, and it is no more than the client waited.
    expect(first.execution_duration_ms).toBeGreaterThanOrEqual(40);
    expect(first.execution_duration_ms).toBeLessThanOrEqual(plainWaitedMs);
    // The streamed answer is logged as the SSE text the client received, once the stream ended.
    expect(byId["pl-req-stream"].response).toBe(streamed.text);
    expect(byId["pl-req-openai"].client_request_id).toBeNull();
    expect(JSON.parse(byId["pl-req-openai"].request).model).toBe("pl-chat");

    const stored = await storedText("pl-chat");
    expect(stored).toContain("pl-req-plain");
    expect(stored).not.toContain("sk-upstream-secret-123");
    expect(stored).not.toMatch(/dapi-|Bearer|authorization/i);
  });

  it("starts logging when PUT …/ai-gateway enables inference_table_config, and stops when it disables it", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-toggle"));
    upstream = fakeOpenAiUpstream();
    const since = Date.now() - 1;
    const put = (enabled: boolean) =>
      call("PUT", "/api/2.0/serving-endpoints/pl-toggle/ai-gateway", { body: { inference_table_config: { enabled } } });
    expect(
      (
        await call("POST", "/serving-endpoints/pl-toggle/invocations", {
          body: chat,
          headers: { "x-request-id": "toggle-before" },
        })
      ).status,
    ).toBe(200);
    expect((await put(true)).status).toBe(200);
    expect(
      (
        await call("POST", "/serving-endpoints/pl-toggle/invocations", {
          body: chat,
          headers: { "x-request-id": "toggle-on" },
        })
      ).status,
    ).toBe(200);
    expect((await put(false)).status).toBe(200);
    expect(
      (
        await call("POST", "/serving-endpoints/pl-toggle/invocations", {
          body: chat,
          headers: { "x-request-id": "toggle-after" },
        })
      ).status,
    ).toBe(200);
    expect((await put(true)).status).toBe(200);
    expect(
      (
        await call("POST", "/serving-endpoints/pl-toggle/invocations", {
          body: chat,
          headers: { "x-request-id": "toggle-again" },
        })
      ).status,
    ).toBe(200);
    const logs = await waitForLogs("pl-toggle", 2, since);
    // The consumer has written the last query, so the ones before it would be there too if logged.
    expect(logs.map((l) => l.databricks_request_id).sort()).toEqual(["toggle-again", "toggle-on"]);
  });

  it("logs the Anthropic ingress's streamed answer as the client received it", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-anthropic", logging));
    upstream = fakeOpenAiUpstream();
    const since = Date.now() - 1;
    const res = await call("POST", "/serving-endpoints/anthropic/v1/messages", {
      body: { model: "pl-anthropic", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain("message_stop");
    const [log] = await waitForLogs("pl-anthropic", 1, since);
    expect(log.response).toBe(res.text);
    expect(log).toMatchObject({ status_code: 200, served_entity_id: "primary", logging_error_codes: [] });
  });

  it("logs failed queries with the status and error body the client got", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-errors", logging));
    const since = Date.now() - 1;
    // 400 from the gateway itself (an embeddings route on a chat endpoint) …
    const wrongTask = await call("POST", "/serving-endpoints/embeddings", { body: { model: "pl-errors", input: "x" } });
    expect(wrongTask.status).toBe(400);
    // … and an upstream failure.
    upstream = fakeOpenAiUpstream({ status: 500 });
    const failed = await call("POST", "/serving-endpoints/pl-errors/invocations", { body: chat });
    expect(failed.status).toBeGreaterThanOrEqual(500);

    const logs = await waitForLogs("pl-errors", 2, since);
    const statuses = logs.map((l) => l.status_code).sort();
    expect(statuses).toEqual([400, failed.status].sort());
    const invalid = logs.find((l) => l.status_code === 400);
    expect(JSON.parse(invalid.response)).toEqual(wrongTask.json);
    expect(invalid.served_entity_id).toBeNull();
    expect(JSON.parse(logs.find((l) => l.status_code === failed.status).response)).toEqual(failed.json);
  });

  it(
    "records an over-1-MiB response as null with " +
      "MAX_RESPONSE_SIZE_EXCEEDED, and stages a large request through R2",
    async () => {
      await createReadyEndpoint(customChatEndpoint("pl-big", logging));
      upstream = bigAnswerUpstream("y".repeat(1024 * 1024 + 10));
      const since = Date.now() - 1;
      const big = await call("POST", "/serving-endpoints/pl-big/invocations", { body: chat });
      expect(big.status).toBe(200);
      expect(big.json.choices[0].message.content).toHaveLength(1024 * 1024 + 10);
      upstream.restore();
      // A 300 KB request: under the 1 MiB cap but over the 128 KB queue message limit.
      upstream = bigAnswerUpstream("ok");
      const prompt = "p".repeat(300 * 1024);
      const large = await call("POST", "/serving-endpoints/pl-big/invocations", {
        body: { messages: [{ role: "user", content: prompt }] },
      });
      expect(large.status).toBe(200);

      const logs = await waitForLogs("pl-big", 2, since);
      const tooLarge = logs.find((l) => l.response === null);
      expect(tooLarge).toMatchObject({ status_code: 200, logging_error_codes: ["MAX_RESPONSE_SIZE_EXCEEDED"] });
      expect(JSON.parse(tooLarge.request)).toEqual(chat);
      const staged = logs.find((l) => l !== tooLarge);
      expect(JSON.parse(staged.request).messages[0].content).toBe(prompt);
      expect(staged.logging_error_codes).toEqual([]);
      expect((await env.ARTIFACTS.list({ prefix: "payload-logs/_staged/" })).objects).toEqual([]);
    },
  );

  it("never stores a {{secrets/…}} credential's plaintext", async () => {
    expect((await call("POST", "/api/2.0/secrets/scopes/create", { body: { scope: "pl-scope" } })).status).toBe(200);
    expect(
      (
        await call("POST", "/api/2.0/secrets/put", {
          body: { scope: "pl-scope", key: "upstream", string_value: "sk-plaintext-from-scope-42" },
        })
      ).status,
    ).toBe(200);
    const body = customChatEndpoint("pl-secret", logging) as any;
    body.config.served_entities[0].external_model.custom_provider_config.bearer_token_auth = {
      token: "{{secrets/pl-scope/upstream}}",
    };
    await createReadyEndpoint(body);
    const fake = fakeOpenAiUpstream();
    upstream = fake;
    const since = Date.now() - 1;
    expect((await call("POST", "/serving-endpoints/pl-secret/invocations", { body: chat })).status).toBe(200);
    expect(fake.calls[0]!.headers.authorization).toBe("Bearer sk-plaintext-from-scope-42");
    const logs = await waitForLogs("pl-secret", 1, since);
    expect(JSON.stringify(logs)).not.toContain("sk-plaintext-from-scope-42");
    expect(await storedText("pl-secret")).not.toContain("sk-plaintext-from-scope-42");
  });

  it("logs with the legacy auto_capture_config, shows its payload_table, and logs nothing when disabled", async () => {
    const legacy = customChatEndpoint("pl-legacy") as any;
    legacy.config.auto_capture_config = {
      catalog_name: "main",
      schema_name: "logs",
      table_name_prefix: "legacy",
      enabled: true,
    };
    const shown = await createReadyEndpoint(legacy);
    expect(shown.config.auto_capture_config.state.payload_table).toMatchObject({
      name: "main.logs.legacy_payload",
      status: "ACTIVE",
    });
    await createReadyEndpoint(customChatEndpoint("pl-off"));
    upstream = fakeOpenAiUpstream();
    const since = Date.now() - 1;
    expect((await call("POST", "/serving-endpoints/pl-off/invocations", { body: chat })).status).toBe(200);
    expect((await call("POST", "/serving-endpoints/pl-legacy/invocations", { body: chat })).status).toBe(200);
    expect(await waitForLogs("pl-legacy", 1, since)).toHaveLength(1);
    const off = await call("GET", `/api/2.0/serving-endpoints/pl-off/payload-logs?start_time=${since}`);
    expect(off.json).toEqual({ payload_logs: [] });
    expect((await env.ARTIFACTS.list({ prefix: `payload-logs/${await idOf("pl-off")}/` })).objects).toEqual([]);
  });
});

describe("GET …/payload-logs", () => {
  it("pages through a time range in order", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-pages", logging));
    upstream = fakeOpenAiUpstream();
    const since = Date.now() - 1;
    for (let i = 0; i < 5; i++)
      expect(
        (
          await call("POST", "/serving-endpoints/pl-pages/invocations", {
            body: chat,
            headers: { "x-request-id": `page-${i}` },
          })
        ).status,
      ).toBe(200);
    await waitForLogs("pl-pages", 5, since);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await call(
        "GET",
        `/api/2.0/serving-endpoints/pl-pages/payload-logs?start_time=${since}&end_time=${Date.now() + 1000}` +
          `&max_results=2${token ? `&page_token=${token}` : ""}`,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json.payload_logs.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.payload_logs.map((l: any) => l.databricks_request_id));
      token = res.json.next_page_token;
    } while (token);
    expect(seen).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
    // A range that ends before the queries returns none of them.
    const before = await call(
      "GET",
      `/api/2.0/serving-endpoints/pl-pages/payload-logs?start_time=${since - 60_000}&end_time=${since}`,
    );
    expect(before.json).toEqual({ payload_logs: [] });
  });

  beforeAll(async () => {
    await createReadyEndpoint(customChatEndpoint("pl-bad", logging));
  });

  it.each([
    ["", "start_time"],
    ["?start_time=yesterday", "start_time"],
    ["?start_time=1000&end_time=1000", "end_time"],
    ["?start_time=0&end_time=4000000000", "end_time"],
    ["?start_time=1000", "start_time"],
    [`?start_time=${Date.now()}&max_results=0`, "max_results"],
    [`?start_time=${Date.now()}&max_results=5000`, "max_results"],
    [`?start_time=${Date.now()}&page_token=not-a-token`, "page_token"],
    [`?start_time=${Date.now()}&colour=blue`, "colour"],
  ])("answers 400 naming the field for %s", async (query, field) => {
    const res = await call("GET", `/api/2.0/serving-endpoints/pl-bad/payload-logs${query}`);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(res.json.message).toContain(field);
  });

  it("requires CAN_MANAGE, and answers 404 for an unknown endpoint", async () => {
    const shown = await createReadyEndpoint(customChatEndpoint("pl-acl", logging));
    const user = await createUserWithToken("querier@example.com");
    expect(
      (
        await call("PATCH", `/api/2.0/permissions/serving-endpoints/${shown.id}`, {
          body: { access_control_list: [{ user_name: "querier@example.com", permission_level: "CAN_QUERY" }] },
        })
      ).status,
    ).toBe(200);
    upstream = fakeOpenAiUpstream();
    const since = Date.now() - 1;
    expect(
      (await call("POST", "/serving-endpoints/pl-acl/invocations", { body: chat, token: user.token })).status,
    ).toBe(200);
    const denied = await call("GET", `/api/2.0/serving-endpoints/pl-acl/payload-logs?start_time=${since}`, {
      token: user.token,
    });
    expect(denied.status).toBe(403);
    const [log] = await waitForLogs("pl-acl", 1, since);
    expect(log.requester).toBe("querier@example.com");
    expect((await call("GET", `/api/2.0/serving-endpoints/pl-nope/payload-logs?start_time=${since}`)).status).toBe(404);
  });
});
