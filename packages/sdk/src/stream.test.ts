import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";
import { chunkText, readSse, type StreamChunk } from "./stream";

/** A body delivered in the given pieces, as a network would split it. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

const chunk = (content: string) =>
  JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] });

async function collect(stream: AsyncIterable<StreamChunk>): Promise<string[]> {
  const texts: string[] = [];
  for await (const c of stream) texts.push(chunkText(c));
  return texts;
}

describe("readSse", () => {
  it("yields each data event's JSON in order, across arbitrary splits, until [DONE]", async () => {
    const sse = `data: ${chunk("Hel")}\n\ndata: ${chunk("lo")}\n\ndata: [DONE]\n\n`;
    const texts = await collect(readSse(body(sse.slice(0, 7), sse.slice(7, 50), sse.slice(50))));
    expect(texts).toEqual(["Hel", "lo"]);
  });

  it("throws the gateway's mid-stream error event as an ApiError", async () => {
    const sse =
      `data: ${chunk("a")}\n\n` + `data: {"error":{"error_code":"BAD_REQUEST","message":"blocked by guardrail"}}\n\n`;
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of readSse(body(sse))) seen.push(chunkText(c));
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["a"]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ error_code: "BAD_REQUEST", message: "blocked by guardrail" });
  });

  it("fails a stream cut before [DONE] instead of passing it off as complete", async () => {
    await expect(collect(readSse(body(`data: ${chunk("x")}\n\n`)))).rejects.toMatchObject({
      error_code: "BAD_GATEWAY",
    });
  });
});

describe("chunkText", () => {
  it("reads chat deltas and completions text", () => {
    expect(chunkText({ choices: [{ index: 0, delta: { content: "hi" } }] })).toBe("hi");
    expect(chunkText({ choices: [{ index: 0, text: "yo" }] })).toBe("yo");
    expect(chunkText({ choices: [{ index: 0, delta: { role: "assistant" } }] })).toBe("");
  });
});
