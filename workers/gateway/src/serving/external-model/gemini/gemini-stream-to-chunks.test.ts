import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { readSseEvents } from "../shared/sse";
import { geminiStreamToChunks } from "./gemini-stream-to-chunks";
import type { GeminiResponse } from "./gemini-response-schema";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A recorded `streamGenerateContent?alt=sse` body: `data: <json>` events separated by CRLF CRLF. */
const recorded = [
  '{"candidates": [{"content": {"parts": [{"text": "Hel"}],"role": ' +
    '"model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5,"totalTokenCount": ' +
    '5},"modelVersion": "gemini-2.0-flash","responseId": "r1"}',
  '{"candidates": [{"content": {"parts": [{"text": "lo there"}],"role": ' +
    '"model"},"index": 0}],"usageMetadata": {"promptTokenCount": ' +
    '5,"totalTokenCount": 5},"modelVersion": "gemini-2.0-flash","responseId": "r1"}',
  '{"candidates": [{"content": {"parts": [{"text": "!"}],"role": "model"},"finishReason": ' +
    '"STOP","index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": ' +
    '4,"totalTokenCount": 9},"modelVersion": "gemini-2.0-flash","responseId": "r1"}',
]
  .map((json) => `data: ${json}\r\n\r\n`)
  .join("");

function body(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body!;
}

async function* parsed(text: string): AsyncGenerator<GeminiResponse> {
  for await (const e of readSseEvents(body(text))) yield JSON.parse(e.data) as GeminiResponse;
}

async function* list(events: GeminiResponse[]): AsyncGenerator<GeminiResponse> {
  yield* events;
}

describe("geminiStreamToChunks", () => {
  it("turns a recorded SSE stream into text deltas, a finish reason and the last usage", async () => {
    expect(await collect(geminiStreamToChunks(parsed(recorded), { id: "chatcmpl-x", provider: "p" }))).toEqual([
      { index: 0, role: "assistant", content: "" },
      { index: 0, content: "Hel" },
      { index: 0, content: "lo there" },
      { index: 0, content: "!" },
      { index: 0, finishReason: { unified: "stop", raw: "STOP" } },
      { usage: { promptTokens: 5, completionTokens: 4 } },
    ]);
  });

  it("emits a whole function call as one tool-call delta and finishes with tool_calls", async () => {
    const events: GeminiResponse[] = [
      {
        candidates: [
          {
            content: { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
            finishReason: "STOP",
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 6, totalTokenCount: 26 },
      },
    ];
    expect(await collect(geminiStreamToChunks(list(events), { id: "chatcmpl-x", provider: "p" }))).toEqual([
      { index: 0, role: "assistant", content: "" },
      { index: 0, toolCalls: [{ index: 0, id: "call_x_0_0", name: "get_weather", arguments: '{"city":"Paris"}' }] },
      { index: 0, finishReason: { unified: "tool_calls", raw: "STOP" } },
      { usage: { promptTokens: 20, completionTokens: 6 } },
    ]);
  });

  it("throws the mapped error when the stream carries one", async () => {
    const events: GeminiResponse[] = [
      { error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } },
    ];
    const error = await collect(geminiStreamToChunks(list(events), { id: "chatcmpl-x", provider: "p" })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(503);
    expect(error.message).toContain("The model is overloaded.");
  });

  it("reports a blocked prompt as content_filter", async () => {
    const out = await collect(
      geminiStreamToChunks(
        list([
          { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 } },
        ]),
        { id: "chatcmpl-x", provider: "p" },
      ),
    );
    expect(out).toEqual([
      { index: 0, role: "assistant", finishReason: { unified: "content_filter", raw: "SAFETY" } },
      { usage: { promptTokens: 2, completionTokens: 0 } },
    ]);
  });
});
