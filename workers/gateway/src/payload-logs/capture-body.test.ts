import { describe, expect, it } from "vitest";
import { type CapturedBody, captureBody, capturedText, captureText, readCapped } from "./capture-body";

const enc = new TextEncoder();

function source(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(enc.encode(part));
      controller.close();
    },
  });
}

function captured(parts: string[], cap: number) {
  const seen: CapturedBody[] = [];
  const stream = captureBody(source(parts), cap, (c) => seen.push(c));
  return { stream, seen };
}

describe("captureBody", () => {
  it("passes the body through unchanged and reports the copy once, at the end", async () => {
    const { stream, seen } = captured(["data: a\n\n", "data: é\n\n", "data: [DONE]\n\n"], 1024);
    expect(seen).toEqual([]);
    expect(await new Response(stream).text()).toBe("data: a\n\ndata: é\n\ndata: [DONE]\n\n");
    expect(seen).toEqual([{ text: "data: a\n\ndata: é\n\ndata: [DONE]\n\n", tooLarge: false, complete: true }]);
  });

  it(
    "records a body over the cap as too large (null), never " + "as a truncated prefix, and still delivers all of it",
    async () => {
      const { stream, seen } = captured(["12345", "67890", "X"], 10);
      expect(await new Response(stream).text()).toBe("1234567890X");
      expect(seen).toEqual([{ text: null, tooLarge: true, complete: true }]);
    },
  );

  it("keeps a body of exactly the cap", async () => {
    const { stream, seen } = captured(["12345", "67890"], 10);
    await new Response(stream).text();
    expect(seen[0]).toEqual({ text: "1234567890", tooLarge: false, complete: true });
  });

  it("reports an incomplete body when the client cancels, and cancels the source", async () => {
    let cancelled: unknown = null;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(enc.encode("tick "));
      },
      cancel(reason) {
        cancelled = reason ?? "cancelled";
      },
    });
    const seen: CapturedBody[] = [];
    const reader = captureBody(endless, 1024, (c) => seen.push(c)).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("client went away");
    expect(cancelled).toBe("client went away");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.complete).toBe(false);
    expect(seen[0]!.text).toMatch(/^(tick )+$/);
  });

  it("reports an incomplete body when the source fails", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode("partial"));
      },
      pull(controller) {
        controller.error(new Error("upstream reset"));
      },
    });
    const seen: CapturedBody[] = [];
    await expect(new Response(captureBody(failing, 1024, (c) => seen.push(c))).text()).rejects.toThrow(
      "upstream reset",
    );
    expect(seen).toEqual([{ text: "partial", tooLarge: false, complete: false }]);
  });
});

describe("captureText", () => {
  const copied = (parts: string[], cap: number, complete = true) => {
    const seen: CapturedBody[] = [];
    const reader = captureText(cap, (c) => seen.push(c));
    for (const part of parts) reader.chunk(part, enc.encode(part).byteLength);
    reader.end(complete);
    return seen;
  };

  it("reports the text of the chunks once, at the end, as captureBody does", () => {
    const parts = ["data: a\n\n", "data: é\n\n", "data: [DONE]\n\n"];
    expect(copied(parts, 1024)).toEqual([{ text: parts.join(""), tooLarge: false, complete: true }]);
    expect(copied(parts, 1024, false)).toEqual([{ text: parts.join(""), tooLarge: false, complete: false }]);
  });

  it("keeps exactly the cap in UTF-8 bytes and reports one byte more as too large (null), not truncated", () => {
    expect(copied(["12345", "678é"], 10)).toEqual([{ text: "12345678é", tooLarge: false, complete: true }]);
    expect(copied(["12345", "6789é", "0"], 10)).toEqual([{ text: null, tooLarge: true, complete: true }]);
  });
});

describe("readCapped", () => {
  it("reads a whole body under the cap", async () => {
    expect(await readCapped(source(['{"a":', '"é"}']), 1024)).toEqual({
      text: '{"a":"é"}',
      tooLarge: false,
      complete: true,
    });
  });

  it("keeps a body of exactly the cap, and reports one byte more as too large (null), not truncated", async () => {
    expect(await readCapped(source(["12345", "67890"]), 10)).toEqual({
      text: "1234567890",
      tooLarge: false,
      complete: true,
    });
    expect(await readCapped(source(["12345", "67890", "X"]), 10)).toEqual({
      text: null,
      tooLarge: true,
      complete: true,
    });
  });

  it("stops reading once past the cap", async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(enc.encode("0123456789"));
      },
    });
    expect(await readCapped(endless, 25)).toEqual({ text: null, tooLarge: true, complete: true });
    expect(pulls).toBeLessThan(10);
  });

  it("reports a body that fails mid-way as incomplete, without rejecting", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode("part"));
        controller.error(new Error("upstream reset"));
      },
    });
    expect(await readCapped(failing, 1024)).toEqual({ text: null, tooLarge: false, complete: false });
  });

  it("leaves the other branch of a cloned response whole", async () => {
    const response = new Response(source(["hello ", "world"]));
    const copy = response.clone();
    const [seen, delivered] = await Promise.all([readCapped(copy.body!, 1024), response.text()]);
    expect(delivered).toBe("hello world");
    expect(seen.text).toBe("hello world");
  });
});

describe("capturedText", () => {
  it("keeps a text of exactly the cap in UTF-8 bytes, and reports one byte more as too large (null)", () => {
    // "é" is 2 bytes in UTF-8: 5 of them are 10 bytes.
    expect(capturedText("ééééé", 10)).toEqual({ text: "ééééé", tooLarge: false, complete: true });
    expect(capturedText("ééééé!", 10)).toEqual({ text: null, tooLarge: true, complete: true });
    expect(capturedText("", 0)).toEqual({ text: "", tooLarge: false, complete: true });
  });
});
