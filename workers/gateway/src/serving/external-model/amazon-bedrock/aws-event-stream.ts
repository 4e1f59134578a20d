import { ApiError } from "@edgeserve/api";

/**
 * AWS's binary event-stream framing (`application/vnd.amazon.eventstream`), as Bedrock's
 * ConverseStream sends it. Each message:
 *
 *   total length (u32 BE) | headers length (u32 BE) | prelude CRC32 (over the 8 bytes before it)
 *   headers | payload | message CRC32 (over everything before it)
 *
 * A header is: name length (u8), name, value type (u8), value. Written here rather than taken from
 * @smithy/eventstream-codec, whose current release pulls in @smithy/core and more for ~100 lines.
 */
type EventStreamHeaderValue = boolean | number | bigint | string | Uint8Array | Date;

export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>;
  payload: Uint8Array;
}

const PRELUDE = 12;
const CRC = 4;
/** Bedrock's documented limit is far lower; this only stops a corrupt length from buffering forever. */
const MAX_MESSAGE = 16 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, the gzip one) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function malformed(why: string): ApiError {
  return new ApiError("BAD_GATEWAY", `The provider 'amazon-bedrock' sent a malformed event stream: ${why}.`, {
    status: 502,
  });
}

const utf8 = new TextDecoder();

function decodeHeaders(bytes: Uint8Array): Record<string, EventStreamHeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Record<string, EventStreamHeaderValue> = {};
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw malformed("a header runs past the headers section");
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes[at]!;
    at += 1;
    need(nameLength + 1);
    const name = utf8.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = bytes[at]!;
    at += 1;
    switch (type) {
      case 0:
        headers[name] = true;
        break;
      case 1:
        headers[name] = false;
        break;
      case 2:
        need(1);
        headers[name] = view.getInt8(at);
        at += 1;
        break;
      case 3:
        need(2);
        headers[name] = view.getInt16(at);
        at += 2;
        break;
      case 4:
        need(4);
        headers[name] = view.getInt32(at);
        at += 4;
        break;
      case 5:
        need(8);
        headers[name] = view.getBigInt64(at);
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        at += 2;
        need(length);
        const value = bytes.subarray(at, at + length);
        headers[name] = type === 7 ? utf8.decode(value) : value.slice();
        at += length;
        break;
      }
      case 8:
        need(8);
        headers[name] = new Date(Number(view.getBigInt64(at)));
        at += 8;
        break;
      case 9:
        need(16);
        headers[name] = bytes.slice(at, at + 16);
        at += 16;
        break;
      default:
        throw malformed(`unknown header value type ${type}`);
    }
  }
  return headers;
}

/** Decodes one complete message, checking both CRCs. */
export function decodeEventStreamMessage(message: Uint8Array): EventStreamMessage {
  if (message.length < PRELUDE + CRC) throw malformed("a message is shorter than its prelude");
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const total = view.getUint32(0);
  const headersLength = view.getUint32(4);
  if (total !== message.length) throw malformed(`a message says it has ${total} bytes but has ${message.length}`);
  if (view.getUint32(8) !== crc32(message.subarray(0, 8))) throw malformed("prelude CRC mismatch");
  if (view.getUint32(total - CRC) !== crc32(message.subarray(0, total - CRC))) throw malformed("message CRC mismatch");
  if (PRELUDE + headersLength > total - CRC) throw malformed("the headers run past the message");
  return {
    headers: decodeHeaders(message.subarray(PRELUDE, PRELUDE + headersLength)),
    payload: message.slice(PRELUDE + headersLength, total - CRC),
  };
}

/**
 * Reads an event-stream body message by message, whatever the chunk boundaries. Breaking out of
 * the loop cancels the body (the client went away → the upstream call ends).
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  const reader = body.getReader();
  let buffer = new Uint8Array(0);
  try {
    for (;;) {
      while (buffer.length >= PRELUDE) {
        const total = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getUint32(0);
        if (total < PRELUDE + CRC || total > MAX_MESSAGE) throw malformed(`a message length of ${total} bytes`);
        if (buffer.length < total) break;
        yield decodeEventStreamMessage(buffer.subarray(0, total));
        buffer = buffer.slice(total);
      }
      const { done, value } = await reader.read();
      if (done) {
        if (buffer.length) throw malformed("the stream ended inside a message");
        return;
      }
      const next = new Uint8Array(buffer.length + value.length);
      next.set(buffer);
      next.set(value, buffer.length);
      buffer = next;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
