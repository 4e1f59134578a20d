import { describe, expect, it } from "vitest";
import { readStreamText, type StreamTextReader, StreamTextTap, withStreamTextTap } from "./stream-text-tap";

function recorder() {
  const seen: string[] = [];
  const reader: StreamTextReader = {
    chunk: (text, bytes) => seen.push(`${text}:${bytes}`),
    end: (complete) => seen.push(`end:${complete}`),
  };
  return { seen, reader };
}

describe("stream text taps", () => {
  it("hand a reader attached before the first chunk every chunk, then the end once", () => {
    const tap = new StreamTextTap();
    const response = withStreamTextTap(new Response("x"), tap);
    const { seen, reader } = recorder();
    expect(readStreamText(response, reader)).toBe(true);
    tap.sent("a", 1);
    tap.sent("é", 2);
    tap.ended(true);
    tap.ended(false);
    expect(seen).toEqual(["a:1", "é:2", "end:true"]);
  });

  it("refuse a reader once a chunk was sent, a second reader, and a response made without a tap", () => {
    const tap = new StreamTextTap();
    const response = withStreamTextTap(new Response("x"), tap);
    expect(readStreamText(response, recorder().reader)).toBe(true);
    expect(readStreamText(response, recorder().reader)).toBe(false);

    const started = new StreamTextTap();
    started.sent("a", 1);
    expect(readStreamText(withStreamTextTap(new Response("x"), started), recorder().reader)).toBe(false);
    expect(readStreamText(new Response("x"), recorder().reader)).toBe(false);
  });
});
