import { describe, expect, it } from "vitest";
import { readSseEvents } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { ai21ChunkToUnified, ai21StreamToChunks } from "./ai21-stream-to-chunks";
import { fixtureText } from "../shared/provider-fixtures";

const stream = fixtureText("ai21labs", "chat-stream.sse");

function body(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body!;
}

async function collect(text: string): Promise<UnifiedChunk[]> {
  const out: UnifiedChunk[] = [];
  for await (const c of ai21StreamToChunks(readSseEvents(body(text)))) out.push(c);
  return out;
}

describe("ai21StreamToChunks", () => {
  it("turns AI21's recorded stream into text deltas, the finish reason and the usage", async () => {
    expect(await collect(stream)).toEqual([
      { index: 0, role: "assistant" },
      { index: 0, content: "Hello" },
      { index: 0, content: " there!" },
      { index: 0, content: "", finishReason: { unified: "stop", raw: "stop" } },
      { usage: { promptTokens: 12, completionTokens: 3 } },
    ]);
  });
  it("carries tool-call deltas", () => {
    expect(
      ai21ChunkToUnified({
        id: "x",
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: "call_1",
                  type: "function",
                  function: { name: "get_weather", arguments: '{"city":"Paris"}' },
                },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: null,
      }),
    ).toEqual([
      {
        index: 0,
        toolCalls: [{ index: 0, id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
        finishReason: { unified: "tool_calls", raw: "tool_calls" },
      },
    ]);
  });
  it("fails on an error event inside the stream", async () => {
    await expect(collect('data: {"detail":"Internal server error"}\n\n')).rejects.toThrow(/failed mid-stream/);
  });
});
