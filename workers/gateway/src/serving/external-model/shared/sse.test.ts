import { describe, expect, it } from "vitest";
import { bodyOf } from "../../../../test/streams";
import { readJsonLines, readSseEvents } from "./sse";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe("readSseEvents", () => {
  it("frames events split across chunks, with event types and multi-line data", async () => {
    const events = await collect(
      readSseEvents(
        bodyOf("event: message_start\nda", 'ta: {"a":1}\n\n', ": comment\n\ndata: x\ndata: y\n\n", "data: [DONE]\n\n"),
      ),
    );
    expect(events).toEqual([{ event: "message_start", data: '{"a":1}' }, { data: "x\ny" }, { data: "[DONE]" }]);
  });

  it("handles CRLF line ends and a UTF-8 character split between chunks", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo"}\r\n\r\ndata: [DONE]\r\n\r\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    expect(await collect(readSseEvents(body))).toEqual([{ data: '{"t":"héllo"}' }, { data: "[DONE]" }]);
  });

  it("yields several events of one chunk in order, and drops an unterminated last event as before", async () => {
    expect(await collect(readSseEvents(bodyOf("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: partial")))).toEqual([
      { data: "1" },
      { data: "2" },
      { data: "3" },
    ]);
  });

  it("cancels the upstream body when the reader stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("data: tick\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readSseEvents(body)) {
      expect(event).toEqual({ data: "tick" });
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe("readJsonLines", () => {
  it("parses newline-delimited JSON split anywhere, including a last line without newline", async () => {
    expect(await collect(readJsonLines(bodyOf('{"a":', '1}\n{"b":2}\n\n{"c"', ":3}")))).toEqual([
      { a: 1 },
      { b: 2 },
      { c: 3 },
    ]);
  });
});
