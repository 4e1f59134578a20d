import { describe, expect, it } from "vitest";
import type { SseEvent } from "../shared/sse";
import { readSseEvents } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { anthropicStreamToChunks } from "./anthropic-stream-to-chunks";
import { fixtureText } from "../shared/provider-fixtures";

// A recorded stream in Anthropic's documented framing: text, then two tool_use blocks (one without input).
const textThenTool = fixtureText("anthropic", "stream-text-then-tool.sse");

function body(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body!;
}

async function collect(events: AsyncIterable<SseEvent>): Promise<UnifiedChunk[]> {
  const out: UnifiedChunk[] = [];
  for await (const c of anthropicStreamToChunks(events)) out.push(c);
  return out;
}

function sse(events: object[]): string {
  return events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
}

const start = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 5 },
  },
};

describe("anthropicStreamToChunks", () => {
  it("maps tool_use blocks to tool-call indexes counted apart from text blocks, with argument deltas", async () => {
    const chunks = await collect(readSseEvents(body(textThenTool)));
    expect(chunks).toEqual([
      { role: "assistant", content: "" },
      { content: "Okay" },
      { content: ", let's check the weather for San Francisco, CA:" },
      { toolCalls: [{ index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", arguments: "" }] },
      { toolCalls: [{ index: 0, arguments: '{"location":' }] },
      { toolCalls: [{ index: 0, arguments: ' "San Francisc' }] },
      { toolCalls: [{ index: 0, arguments: 'o, CA"}' }] },
      { toolCalls: [{ index: 1, id: "toolu_02", name: "get_time", arguments: "" }] },
      // A tool without input still gets valid JSON arguments.
      { toolCalls: [{ index: 1, arguments: "{}" }] },
      { finishReason: { unified: "tool_calls", raw: "tool_use" } },
      { usage: { promptTokens: 472, completionTokens: 89 } },
    ]);
    const args = chunks
      .flatMap((c) => c.toolCalls ?? [])
      .filter((t) => t.index === 0)
      .map((t) => t.arguments)
      .join("");
    expect(JSON.parse(args)).toEqual({ location: "San Francisco, CA" });
  });

  it("counts cache reads as prompt tokens and takes input counts repeated in message_delta", async () => {
    const chunks = await collect(
      readSseEvents(
        body(
          sse([
            start,
            { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
            { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
            { type: "content_block_stop", index: 0 },
            {
              type: "message_delta",
              delta: { stop_reason: "max_tokens", stop_sequence: null },
              usage: { output_tokens: 7, input_tokens: 30 },
            },
            { type: "message_stop" },
          ]),
        ),
      ),
    );
    expect(chunks.slice(-2)).toEqual([
      { finishReason: { unified: "length", raw: "max_tokens" } },
      { usage: { promptTokens: 35, completionTokens: 7 } },
    ]);
  });

  it("skips thinking deltas", async () => {
    const chunks = await collect(
      readSseEvents(
        body(
          sse([
            start,
            { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
            { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
            { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQB" } },
            { type: "content_block_stop", index: 0 },
            {
              type: "message_delta",
              delta: { stop_reason: "end_turn", stop_sequence: null },
              usage: { output_tokens: 3 },
            },
            { type: "message_stop" },
          ]),
        ),
      ),
    );
    expect(chunks).toEqual([
      { role: "assistant", content: "" },
      { finishReason: { unified: "stop", raw: "end_turn" } },
      { usage: { promptTokens: 30, completionTokens: 3 } },
    ]);
  });

  it("turns an error event into the mapped ApiError (overloaded → 503)", async () => {
    const events = readSseEvents(
      body(sse([start, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }])),
    );
    await expect(collect(events)).rejects.toMatchObject({ status: 503, code: "TEMPORARILY_UNAVAILABLE" });
  });

  it("fails a stream cut before message_stop instead of ending it as if complete", async () => {
    const events = readSseEvents(
      body(sse([start, { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }])),
    );
    await expect(collect(events)).rejects.toMatchObject({ status: 502 });
  });
});
