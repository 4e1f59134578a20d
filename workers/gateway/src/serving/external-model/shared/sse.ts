import { createParser } from "eventsource-parser";
import { readerOf } from "../../upstream-body";

export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Reads a server-sent-events body as the events each network read completed, one array per read
 * (eventsource-parser does the framing). The parser is fed straight from the body's reader: no
 * TextDecoderStream and parser TransformStream piped in between, which cost a stream hop per layer on
 * every chunk (time to first token included); an upstream's body is read under its JS stream (readerOf).
 * Breaking out of the loop cancels the upstream body, which is how a client's disconnect reaches the provider.
 */
export async function* readSseEventBatches(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent[]> {
  const reader = readerOf(body);
  const decoder = new TextDecoder();
  let parsed: SseEvent[] = [];
  const parser = createParser({
    onEvent: (e) => parsed.push(e.event ? { event: e.event, data: e.data } : { data: e.data }),
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      if (parsed.length > 0) {
        const batch = parsed;
        parsed = [];
        yield batch;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a server-sent-events body event by event (see readSseEventBatches). */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  for await (const batch of readSseEventBatches(body)) yield* batch;
}

/** Reads a body of newline-delimited JSON values (used by some providers' streams). */
export async function* readJsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer += value;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line);
      }
      if (done) {
        if (buffer.trim()) yield JSON.parse(buffer);
        return;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const encoder = new TextEncoder();

/** One `data:` event. */
export function encodeSseData(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

/** One `data:` event of a JSON value, as text (to join with others before encoding). */
export function sseJsonEvent(json: unknown): string {
  return `data: ${JSON.stringify(json)}\n\n`;
}

/** Already framed SSE text, as bytes. */
export function encodeSse(text: string): Uint8Array {
  return encoder.encode(text);
}
