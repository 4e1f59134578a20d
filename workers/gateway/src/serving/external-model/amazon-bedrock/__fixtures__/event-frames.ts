import { crc32 } from "../aws-event-stream";

/**
 * ConverseStream is a binary event stream: the recorded event payloads are the JSON files beside this
 * one, and these build the frames Bedrock sends them in.
 */

/** One event-stream frame with string headers (what ConverseStream sends). */
export function frame(headers: Record<string, string>, payload: string): Uint8Array {
  const enc = new TextEncoder();
  const h: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = enc.encode(name);
    const v = enc.encode(value);
    h.push(n.length, ...n, 7, v.length >> 8, v.length & 0xff, ...v);
  }
  const body = enc.encode(payload);
  const total = 16 + h.length + body.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, h.length);
  view.setUint32(8, crc32(out.subarray(0, 8)));
  out.set(h, 12);
  out.set(body, 12 + h.length);
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)));
  return out;
}

export function eventFrame(type: string, payload: unknown): Uint8Array {
  return frame(
    { ":event-type": type, ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify(payload),
  );
}

export function exceptionFrame(type: string, message: string): Uint8Array {
  return frame(
    { ":exception-type": type, ":content-type": "application/json", ":message-type": "exception" },
    JSON.stringify({ message }),
  );
}
