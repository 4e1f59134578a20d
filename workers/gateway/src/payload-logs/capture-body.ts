import type { StreamTextReader } from "../http/stream-text-tap";

/** What was seen of a response body by the time it ended. */
export interface CapturedBody {
  /** The body as text; null when it grew past the cap (never a truncated prefix). */
  text: string | null;
  tooLarge: boolean;
  /** False when the client went away or the stream failed before the end. */
  complete: boolean;
}

/** A whole body already held as text, as captured under the same cap (its UTF-8 size). */
export function capturedText(text: string, capBytes: number): CapturedBody {
  // Three bytes per UTF-16 unit at most: only a body near the cap is measured exactly.
  const tooLarge = text.length * 3 > capBytes && new TextEncoder().encode(text).byteLength > capBytes;
  return { text: tooLarge ? null : text, tooLarge, complete: true };
}

/**
 * The same copy as captureBody's, of a stream the gateway writes as text and reports chunk by chunk
 * (http/stream-text-tap.ts): no stream layer of its own, nothing to decode at the end.
 */
export function captureText(capBytes: number, onEnd: (captured: CapturedBody) => void): StreamTextReader {
  let text = "";
  let size = 0;
  return {
    chunk(chunk, byteLength) {
      size += byteLength;
      // Past the cap the copy is dropped at once: it will be logged as too large, not truncated.
      text = size <= capBytes ? text + chunk : "";
    },
    end(complete) {
      const tooLarge = size > capBytes;
      onEnd({ text: tooLarge ? null : text, tooLarge, complete });
      text = "";
    },
  };
}

/**
 * Passes `body` through unchanged and without delay while keeping a copy of up to `capBytes`;
 * `onEnd` fires once, when the stream ends, fails or is cancelled by the client.
 */
export function captureBody(
  body: ReadableStream<Uint8Array>,
  capBytes: number,
  onEnd: (captured: CapturedBody) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const end = (complete: boolean) => {
    if (ended) return;
    ended = true;
    const tooLarge = size > capBytes;
    onEnd({ text: tooLarge ? null : decode(chunks, size), tooLarge, complete });
    chunks.length = 0;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          end(true);
          return;
        }
        size += value.byteLength;
        // Past the cap the copy is dropped at once: it will be logged as too large, not truncated.
        if (size <= capBytes) chunks.push(value);
        else chunks.length = 0;
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        end(false);
      }
    },
    async cancel(reason) {
      end(false);
      await reader.cancel(reason);
    },
  });
}

/**
 * Reads a copy of a body (a `Response.clone()` branch) to its end, keeping up to `capBytes`; past the cap
 * it stops reading and reports the body as too large. Never rejects: a failed read is `complete: false`.
 */
export async function readCapped(body: ReadableStream<Uint8Array>, capBytes: number): Promise<CapturedBody> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: decode(chunks, size), tooLarge: false, complete: true };
      size += value.byteLength;
      if (size > capBytes) {
        await reader.cancel().catch(() => {});
        return { text: null, tooLarge: true, complete: true };
      }
      chunks.push(value);
    }
  } catch {
    return { text: null, tooLarge: false, complete: false };
  }
}

function decode(chunks: Uint8Array[], size: number): string {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
