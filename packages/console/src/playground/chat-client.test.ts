/// <reference types="node" />
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatRequest } from "@edgeserve/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatRun, runChat } from "./chat-client";

/**
 * A stand-in for the gateway's chat route speaking its wire format: OpenAI SSE chunks (sent in pieces that
 * split events, as networks do), the gateway's `{error: {error_code, message}}` event, Databricks error bodies.
 * The behaviour is picked by `model`. It records what it received and when each client went away.
 */
const received: { headers: http.IncomingHttpHeaders; body: ChatRequest }[] = [];
const closed: string[] = [];
let origin = "";
const server = http.createServer((req, res) => {
  let text = "";
  req.on("data", (c) => (text += c));
  req.on("end", () => {
    const body = JSON.parse(text) as ChatRequest;
    received.push({ headers: req.headers, body });
    res.on("close", () => closed.push(String(body.model)));
    const sse = (events: unknown[], cutAt?: number) => {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": "req-42" });
      const wire = events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`).join("");
      const end = cutAt ?? wire.length;
      // Written in 7-byte pieces: events and multi-byte characters are split across reads.
      const bytes = Buffer.from(wire.slice(0, end));
      for (let i = 0; i < bytes.length; i += 7) res.write(bytes.subarray(i, i + 7));
      if (cutAt === undefined) res.end();
      else res.destroy();
    };
    const chunk = (delta: object, finish: string | null = null) => ({
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    switch (body.model) {
      case "stream":
        return sse([
          chunk({ role: "assistant", content: "" }),
          chunk({ content: "Grüß " }),
          chunk({ content: "dich" }),
          chunk({}, "stop"),
          { choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } },
          "[DONE]",
        ]);
      case "tools":
        return sse([
          chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }, "tool_calls"),
          "[DONE]",
        ]);
      case "error-event":
        return sse([chunk({ content: "partial" }), { error: { error_code: "BAD_GATEWAY", message: "cut off" } }]);
      case "cut":
        return sse([chunk({ content: "partial" }), chunk({ content: " more" })], 40);
      case "json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ choices: [{ message: { content: "whole" }, finish_reason: "stop" }] }));
      case "refused":
        res.writeHead(429, { "content-type": "application/json", "retry-after": "2", "x-request-id": "req-7" });
        return res.end(JSON.stringify({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests." }));
      case "endless": {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const timer = setInterval(() => res.write(`data: ${JSON.stringify(chunk({ content: "x" }))}\n\n`), 5);
        res.on("close", () => clearInterval(timer));
        return;
      }
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ask = (model: string, extra: { signal?: AbortSignal; onUpdate?: (run: ChatRun) => void } = {}) =>
  runChat(
    { model, messages: [{ role: "user", content: "hi" }], stream: model !== "json" },
    { token: "dapi-test", signal: extra.signal ?? new AbortController().signal, origin, onUpdate: extra.onUpdate },
  );

describe("runChat", () => {
  it("POSTs the body with the bearer token and assembles a split stream, its usage and timings", async () => {
    let updates = 0;
    const run = await ask("stream", { onUpdate: () => updates++ });
    expect(received.at(-1)?.headers.authorization).toBe("Bearer dapi-test");
    expect(received.at(-1)?.headers["content-type"]).toBe("application/json");
    expect(run.status).toBe("done");
    expect(run.reply).toMatchObject({ content: "Grüß dich", finishReason: "stop", usage: { completion_tokens: 2 } });
    expect(run.facts).toMatchObject({ status: 200, requestId: "req-42" });
    expect(run.frames.map((f) => f.data).at(-1)).toBe("[DONE]");
    expect(run.frames).toHaveLength(6);
    const { startedAt, firstTokenAt, endedAt } = run.timings;
    expect(startedAt <= firstTokenAt! && firstTokenAt! <= endedAt!).toBe(true);
    expect(updates).toBeGreaterThan(2);
  });

  it("assembles a streamed tool call", async () => {
    const run = await ask("tools");
    expect(run.reply.toolCalls).toEqual([
      { id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } },
    ]);
    expect(run.reply.finishReason).toBe("tool_calls");
  });

  it("reads a JSON answer when not streaming", async () => {
    const run = await ask("json");
    expect(run).toMatchObject({ status: "done", reply: { content: "whole" } });
    expect(run.timings.firstTokenAt).toBeDefined();
  });

  it("reports the API's error, request id and rate-limit headers of a refused request", async () => {
    const run = await ask("refused");
    expect(run.status).toBe("failed");
    expect(run.error).toEqual({ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests." });
    expect(run.facts).toEqual({ status: 429, requestId: "req-7", rateLimit: [["retry-after", "2"]] });
  });

  it("ends on the gateway's error event, keeping what arrived before it", async () => {
    const run = await ask("error-event");
    expect(run).toMatchObject({
      status: "failed",
      error: { errorCode: "BAD_GATEWAY", message: "cut off" },
      reply: { content: "partial" },
    });
  });

  it("says so when a stream is cut off before [DONE]", async () => {
    const run = await ask("cut");
    expect(run.status).toBe("failed");
    expect(run.error?.errorCode).toMatch(/STREAM_INCOMPLETE|NETWORK_ERROR/);
  });

  it("stops when aborted and the server sees the client go", async () => {
    const controller = new AbortController();
    const run = await ask("endless", {
      signal: controller.signal,
      onUpdate: (r) => r.reply.content.length >= 3 && controller.abort(),
    });
    expect(run.status).toBe("stopped");
    expect(run.reply.content.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => closed.includes("endless")).toBe(true);
  });
});
