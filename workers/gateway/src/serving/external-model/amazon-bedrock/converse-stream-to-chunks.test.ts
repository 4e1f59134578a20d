import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import type { UnifiedChunk } from "../shared/unified";
import { readEventStream } from "./aws-event-stream";
import { converseStreamToChunks } from "./converse-stream-to-chunks";
import { eventFrame, exceptionFrame } from "./__fixtures__/event-frames";
import { fixtureJson } from "../shared/provider-fixtures";

const CONVERSE_STREAM_EVENTS = fixtureJson("amazon-bedrock", "converse-stream-events.json") as [
  type: string,
  payload: unknown,
][];

function body(frames: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const f of frames) c.enqueue(f);
      c.close();
    },
  });
}

async function collect(frames: Uint8Array[]): Promise<UnifiedChunk[]> {
  const out: UnifiedChunk[] = [];
  for await (const c of converseStreamToChunks(readEventStream(body(frames)))) out.push(c);
  return out;
}

describe("converseStreamToChunks", () => {
  it("turns ConverseStream events into text and tool-call deltas, the stop reason and usage", async () => {
    expect(await collect(CONVERSE_STREAM_EVENTS.map(([t, p]) => eventFrame(t, p)))).toEqual([
      { role: "assistant", content: "" },
      { content: "Let me" },
      { content: " check." },
      { toolCalls: [{ index: 0, id: "tooluse_1", name: "top_song", arguments: "" }] },
      { toolCalls: [{ index: 0, arguments: '{"sign":' }] },
      { toolCalls: [{ index: 0, arguments: '"WZPZ"}' }] },
      { finishReason: { unified: "tool_calls", raw: "tool_use" } },
      { usage: { promptTokens: 375, completionTokens: 56 } },
    ]);
  });

  it("throws the mapped error of an exception message", async () => {
    const error = await collect([
      eventFrame("messageStart", { role: "assistant" }),
      exceptionFrame("throttlingException", "Too many requests"),
    ]).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toContain("Too many requests");
  });
});
