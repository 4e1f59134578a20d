import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase } from "@edgeserve/db";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import type { AppEnv } from "../env";
import { onError } from "../middleware/errors";
import { requestId } from "../middleware/request-id";
import { anthropicMessagesRoutes } from "./anthropic-messages";

// The route mounted as app.ts will mount it (the lead wires it there); tested here on its own app.
const app = new Hono<AppEnv>();
app.onError(onError);
app.use("*", requestId());
app.use("*", async (c, next) => {
  c.set("db", openDatabase(c.env.DB));
  await next();
});
app.route("/serving-endpoints/anthropic", anthropicMessagesRoutes);

async function post(body: unknown, headers: Record<string, string> = { "x-api-key": ADMIN_TOKEN }) {
  const res = await app.request(
    "/serving-endpoints/anthropic/v1/messages",
    {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
      body: JSON.stringify(body),
    },
    env,
    createExecutionContext(),
  );
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
  vi.restoreAllMocks();
});

describe("POST /serving-endpoints/anthropic/v1/messages", () => {
  it(
    "answers an Anthropic message from a custom " + "(OpenAI-compatible) endpoint, authenticated by x-api-key",
    async () => {
      await createReadyEndpoint(customChatEndpoint("am-chat"));
      upstream = fakeOpenAiUpstream();
      const res = await post({
        model: "am-chat",
        max_tokens: 50,
        system: "Be brief.",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({
        type: "message",
        role: "assistant",
        model: "am-chat",
        content: [{ type: "text", text: "Hello" }],
        stop_reason: "end_turn",
        usage: { input_tokens: 5, output_tokens: 1 },
      });
      expect(res.headers.get("served-model-name")).toBe("primary");
      expect(upstream.calls[0]!.body).toEqual({
        model: "gpt-test",
        max_tokens: 50,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hi" },
        ],
      });
    },
  );

  it("accepts Authorization: Bearer too, and streams Anthropic events", async () => {
    await createReadyEndpoint(customChatEndpoint("am-stream"));
    upstream = fakeOpenAiUpstream();
    const res = await post(
      { model: "am-stream", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const types = [...res.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(types).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(res.text).toContain('"delta":{"type":"text_delta","text":"Hel"}');
    // The route asks the query path for usage so message_delta can carry it.
    expect(upstream.calls[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  it("serves an endpoint backed by the anthropic provider", async () => {
    await createReadyEndpoint({
      name: "am-claude",
      config: {
        served_entities: [
          {
            name: "claude",
            external_model: {
              name: "claude-sonnet-4-5",
              provider: "anthropic",
              task: "llm/v1/chat",
              anthropic_config: { anthropic_api_key_plaintext: "sk-ant-123" },
            },
          },
        ],
      },
    });
    const seen: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      seen.push(new Request(input, init));
      return Response.json({
        id: "msg_9",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
        stop_reason: "tool_use",
        stop_sequence: null,
        usage: { input_tokens: 30, output_tokens: 12 },
      });
    });
    const res = await post({
      model: "am-claude",
      max_tokens: 64,
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id: "msg_9",
      content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
      stop_reason: "tool_use",
      usage: { input_tokens: 30, output_tokens: 12 },
    });
    expect(seen[0]!.headers.get("x-api-key")).toBe("sk-ant-123");
    expect(await seen[0]!.json()).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      tools: [{ name: "get_weather", input_schema: { type: "object" } }],
    });
  });

  it("answers errors in Anthropic's shape: auth, validation, unknown endpoint, upstream failures", async () => {
    const noKey = await post({ model: "x", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }, {});
    expect(noKey.status).toBe(401);
    expect(noKey.json).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const badKey = await post(
      { model: "x", max_tokens: 1, messages: [{ role: "user", content: "hi" }] },
      { "x-api-key": "dapi-wrong" },
    );
    expect(badKey.status).toBe(401);

    const invalid = await post({ model: "x", messages: [{ role: "user", content: "hi" }] });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
    });

    const missing = await post({
      model: "no-such-endpoint",
      max_tokens: 1,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.type).toBe("not_found_error");

    await createReadyEndpoint(customChatEndpoint("am-fail"));
    upstream = fakeOpenAiUpstream({ status: 429, headers: { "retry-after": "4" } });
    const limited = await post({ model: "am-fail", max_tokens: 1, messages: [{ role: "user", content: "hi" }] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("4");
    expect(limited.json.error.type).toBe("rate_limit_error");
  });
});
