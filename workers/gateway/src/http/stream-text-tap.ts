/**
 * Streams the gateway writes itself from text (a provider's SSE forwarded), readable as that text by
 * what reads a response on its way out (payload logging): the reader is handed each chunk's text as the
 * stream sends it, instead of wrapping the body in another stream layer that copies its bytes (a pull, a
 * read and an enqueue per chunk) and decodes them at the end. As with known-body-text, a response rebuilt
 * on the way (output guardrails) is a new object and not found, so readers fall back to reading its body.
 */
export interface StreamTextReader {
  /** One chunk as sent, with its UTF-8 size. */
  chunk(text: string, byteLength: number): void;
  /** Once: the stream closed (complete) or failed or was cancelled by the client (not complete). */
  end(complete: boolean): void;
}

/** Held by the code that writes the stream: it reports each chunk it enqueues and how the stream ended. */
export class StreamTextTap {
  private reader: StreamTextReader | undefined;
  private started = false;

  sent(text: string, byteLength: number): void {
    this.started = true;
    this.reader?.chunk(text, byteLength);
  }

  ended(complete: boolean): void {
    this.started = true;
    const reader = this.reader;
    this.reader = undefined;
    reader?.end(complete);
  }

  /** Attaches `reader` if nothing was sent yet (it would have missed that); false otherwise. */
  attach(reader: StreamTextReader): boolean {
    if (this.started || this.reader) return false;
    this.reader = reader;
    return true;
  }
}

const taps = new WeakMap<Response, StreamTextTap>();

/** `response`, remembered with the tap its stream reports to. */
export function withStreamTextTap(response: Response, tap: StreamTextTap): Response {
  taps.set(response, tap);
  return response;
}

/**
 * Has `reader` read the text of `response`'s stream as it is sent; false when the response has no tap
 * or part of its stream was already sent (then read its body instead).
 */
export function readStreamText(response: Response, reader: StreamTextReader): boolean {
  return taps.get(response)?.attach(reader) ?? false;
}
