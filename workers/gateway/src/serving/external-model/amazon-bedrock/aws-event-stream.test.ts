import { describe, expect, it } from "vitest";
import { frame as encode } from "./__fixtures__/event-frames";
import { crc32, decodeEventStreamMessage, readEventStream, type EventStreamMessage } from "./aws-event-stream";

// Test vectors published with AWS's JavaScript SDK (eventstream-marshaller TestVectors).
const VECTORS = {
  empty_message: Uint8Array.from([0, 0, 0, 16, 0, 0, 0, 0, 5, 194, 72, 235, 125, 152, 200, 255]),
  int32_header: Uint8Array.from([
    0, 0, 0, 45, 0, 0, 0, 16, 65, 196, 36, 184, 10, 101, 118, 101, 110, 116, 45, 116, 121, 112, 101, 4, 0, 0, 160, 12,
    123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125, 54, 244, 128, 160,
  ]),
  payload_no_headers: Uint8Array.from([
    0, 0, 0, 29, 0, 0, 0, 0, 253, 82, 140, 90, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125, 195, 101, 57,
    54,
  ]),
  payload_one_str_header: Uint8Array.from([
    0, 0, 0, 61, 0, 0, 0, 32, 7, 253, 131, 150, 12, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7, 0, 16,
    97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 123, 39, 102, 111, 111, 39, 58, 39, 98,
    97, 114, 39, 125, 141, 156, 8, 177,
  ]),
};
const FOO_BAR = "{'foo':'bar'}";
const text = (m: EventStreamMessage) => new TextDecoder().decode(m.payload);

function streamOf(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize) controller.enqueue(bytes.slice(i, i + chunkSize));
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<EventStreamMessage[]> {
  const out: EventStreamMessage[] = [];
  for await (const m of readEventStream(body)) out.push(m);
  return out;
}

describe("crc32", () => {
  it("is the IEEE CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe("decodeEventStreamMessage (AWS test vectors)", () => {
  it("decodes the published vectors", () => {
    expect(decodeEventStreamMessage(VECTORS.empty_message)).toEqual({ headers: {}, payload: new Uint8Array(0) });
    const int32 = decodeEventStreamMessage(VECTORS.int32_header);
    expect(int32.headers).toEqual({ "event-type": 40972 });
    expect(text(int32)).toBe(FOO_BAR);
    expect(text(decodeEventStreamMessage(VECTORS.payload_no_headers))).toBe(FOO_BAR);
    const str = decodeEventStreamMessage(VECTORS.payload_one_str_header);
    expect(str.headers).toEqual({ "content-type": "application/json" });
    expect(text(str)).toBe(FOO_BAR);
  });

  it("rejects a corrupted prelude or message CRC with a 502", () => {
    const prelude = VECTORS.payload_one_str_header.slice();
    prelude[10] = prelude[10]! ^ 1;
    expect(() => decodeEventStreamMessage(prelude)).toThrow(/prelude CRC/);
    const payload = VECTORS.payload_one_str_header.slice();
    payload[50] = payload[50]! ^ 1;
    expect(() => decodeEventStreamMessage(payload)).toThrow(/message CRC/);
    try {
      decodeEventStreamMessage(payload);
    } catch (e) {
      expect((e as { status: number }).status).toBe(502);
    }
  });
});

describe("readEventStream", () => {
  const frames = [
    encode(
      { ":event-type": "messageStart", ":content-type": "application/json", ":message-type": "event" },
      '{"role":"assistant"}',
    ),
    encode(
      { ":event-type": "contentBlockDelta", ":content-type": "application/json", ":message-type": "event" },
      '{"contentBlockIndex":0,"delta":{"text":"Hé"}}',
    ),
    VECTORS.payload_no_headers,
  ];
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f, at);
    at += f.length;
  }

  it.each([1, 3, 7, 64, 4096])("splits messages whatever the chunk size (%i bytes)", async (size) => {
    const messages = await collect(streamOf(all, size));
    expect(messages.map((m) => m.headers[":event-type"])).toEqual(["messageStart", "contentBlockDelta", undefined]);
    expect(text(messages[1]!)).toBe('{"contentBlockIndex":0,"delta":{"text":"Hé"}}');
  });

  it("fails on a truncated stream", async () => {
    await expect(collect(streamOf(all.subarray(0, all.length - 3), 16))).rejects.toThrow(/ended inside a message/);
  });
});
