import { EventSourceParserStream } from "eventsource-parser/stream";

export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Reads a server-sent-events body as events (eventsource-parser does the framing). Breaking out of
 * the loop cancels the upstream body, which is how a client's disconnect reaches the provider.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value.event ? { event: value.event, data: value.data } : { data: value.data };
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a body of newline-delimited JSON values (used by some providers' streams). */
export async function* readJsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
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
