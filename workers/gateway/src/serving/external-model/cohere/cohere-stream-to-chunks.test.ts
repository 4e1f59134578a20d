import { describe, expect, it } from "vitest";
import { readSseEvents } from "../shared/sse";
import type { UnifiedChunk } from "../shared/unified";
import { cohereStreamToChunks } from "./cohere-stream-to-chunks";
import { fixtureText } from "../shared/provider-fixtures";

const COHERE_TEXT_STREAM = fixtureText("cohere", "text-stream.sse");
const COHERE_TOOL_CALL_STREAM = fixtureText("cohere", "tool-call-stream.sse");

async function collect(text: string): Promise<UnifiedChunk[]> {
  const body = new Response(text).body!;
  const out: UnifiedChunk[] = [];
  for await (const c of cohereStreamToChunks(readSseEvents(body))) out.push(c);
  return out;
}

describe("cohereStreamToChunks", () => {
  it("turns content deltas into text chunks and message-end into finish + usage", async () => {
    expect(await collect(COHERE_TEXT_STREAM)).toEqual([
      { role: "assistant", content: "" },
      { content: "The capital" },
      { content: " of France is Paris." },
      { finishReason: { unified: "stop", raw: "COMPLETE" }, usage: { promptTokens: 507, completionTokens: 10 } },
    ]);
  });

  it("turns tool-call events into OpenAI tool-call deltas (and {} for a call without arguments)", async () => {
    expect(await collect(COHERE_TOOL_CALL_STREAM)).toEqual([
      { role: "assistant", content: "" },
      { content: "I will use the weather tool." },
      { toolCalls: [{ index: 0, id: "weather_e8p4pn45zt0t", name: "weather", arguments: "" }] },
      { toolCalls: [{ index: 0, arguments: '{"' }] },
      { toolCalls: [{ index: 0, arguments: 'location": "San Francisco"}' }] },
      { toolCalls: [{ index: 1, id: "now_pyxssbwnq9fq", name: "now", arguments: "" }] },
      { toolCalls: [{ index: 1, arguments: "{}" }] },
      {
        finishReason: { unified: "tool_calls", raw: "TOOL_CALL" },
        usage: { promptTokens: 1549, completionTokens: 95 },
      },
    ]);
  });
});
