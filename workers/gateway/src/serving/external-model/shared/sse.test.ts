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
    const events = await collect(readSseEvents(bodyOf("event: message_start\nda", 'ta: {"a":1}\n\n', ": comment\n\ndata: x\ndata: y\n\n", "data: [DONE]\n\n")));
    expect(events).toEqual([{ event: "message_start", data: '{"a":1}' }, { data: "x\ny" }, { data: "[DONE]" }]);
  });
});

describe("readJsonLines", () => {
  it("parses newline-delimited JSON split anywhere, including a last line without newline", async () => {
    expect(await collect(readJsonLines(bodyOf('{"a":', '1}\n{"b":2}\n\n{"c"', ":3}")))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
});
