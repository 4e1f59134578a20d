import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { bodyOf } from "../../../../test/streams";
import { readStreamText } from "../../../http/stream-text-tap";
import { forwardOpenAiStream } from "./forward-openai-stream";
import type { UnifiedUsage } from "./unified";

const meta = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
const event = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`;
const chunk = (content: string) => event({ ...meta, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const finish = event({ ...meta, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
const usageChunk = event({ ...meta, choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } });

function sseJson(text: string): any[] {
  return text
    .trimEnd()
    .split("\n\n")
    .map((e) => e.replace(/^data: /, ""))
    .map((d) => (d === "[DONE]" ? d : JSON.parse(d)));
}

describe("forwardOpenAiStream", () => {
  it("hides the usage-only chunk of a stream unless the client asked, and reports it either way", async () => {
    for (const clientWantsUsage of [false, true]) {
      let usage: UnifiedUsage | undefined;
      const res = await forwardOpenAiStream(bodyOf(chunk("He"), chunk("llo"), usageChunk, "data: [DONE]\n\n"), {
        provider: "custom",
        redact: (text: string) => text,
        clientWantsUsage,
        promptText: "p",
        onUsage: (u) => (usage = u),
      });
      const text = await res.text();
      expect(text.match(/^data: /gm)).toHaveLength(clientWantsUsage ? 4 : 3);
      expect(text.includes('"prompt_tokens":9')).toBe(clientWantsUsage);
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(usage).toEqual({ promptTokens: 9, completionTokens: 2 });
    }
  });

  it(
    "estimates a stream's usage from its text when the upstream sends none, " +
      "and ends with [DONE] a stream whose choices all finished",
    async () => {
      let usage: UnifiedUsage | undefined;
      const res = await forwardOpenAiStream(bodyOf(chunk("abcdefg"), finish), {
        provider: "custom",
        redact: (text: string) => text,
        clientWantsUsage: false,
        promptText: "abc",
        onUsage: (u) => (usage = u),
      });
      expect((await res.text()).endsWith("data: [DONE]\n\n")).toBe(true);
      expect(usage).toEqual({ promptTokens: 1, completionTokens: 2, estimated: true });
    },
  );

  it(
    "without include_usage, puts the usage on the last finish chunk (as Databricks streams do) " +
      "and sends no usage-only chunk",
    async () => {
      const res = await forwardOpenAiStream(bodyOf(chunk("He"), finish, usageChunk, "data: [DONE]\n\n"), {
        provider: "custom",
        redact: (text: string) => text,
        clientWantsUsage: false,
        promptText: "p",
        onUsage: () => {},
      });
      const events = sseJson(await res.text());
      expect(events).toHaveLength(3);
      // The finish chunk, with the usage-only chunk's usage on it.
      expect(events[1]).toEqual({ ...JSON.parse(finish.slice(6)), usage: JSON.parse(usageChunk.slice(6)).usage });
      expect(events[2]).toBe("[DONE]");
    },
  );

  it(
    "with include_usage, ends with one usage-only chunk even when the upstream sent none (estimated) " +
      "or put usage on another chunk",
    async () => {
      const options = {
        provider: "custom",
        redact: (text: string) => text,
        clientWantsUsage: true,
        promptText: "abc",
        onUsage: () => {},
      };
      const estimated = sseJson(
        await (await forwardOpenAiStream(bodyOf(chunk("abcdefg"), finish, "data: [DONE]\n\n"), options)).text(),
      );
      expect(estimated.at(-2)).toEqual({
        id: "c",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      });
      const onFinish = event({
        ...{ id: "d", object: "chat.completion.chunk", created: 2, model: "m" },
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      });
      const carried = sseJson(
        await (await forwardOpenAiStream(bodyOf(chunk("x"), onFinish, "data: [DONE]\n\n"), options)).text(),
      );
      expect(carried.filter((e: any) => e.choices?.length === 0)).toEqual([
        {
          id: "d",
          object: "chat.completion.chunk",
          created: 2,
          model: "m",
          choices: [],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        },
      ]);
    },
  );

  it("reports usage when the client goes away mid-stream", async () => {
    let usage: UnifiedUsage | undefined;
    const res = await forwardOpenAiStream(bodyOf(chunk("abc"), chunk("def")), {
      provider: "custom",
      redact: (text: string) => text,
      clientWantsUsage: false,
      promptText: "",
      onUsage: (u) => (usage = u),
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(usage?.estimated).toBe(true);
  });
});

/** A body that sends `pieces`, then fails as a lost connection does (fetchUpstream's body fails with an ApiError). */
function bodyFailingAfter(error: unknown, ...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]!));
      else controller.error(error);
    },
  });
}

const lost = new ApiError(
  "BAD_GATEWAY",
  "The connection to the provider 'custom' broke off mid-answer: Network connection lost.",
  { status: 502 },
);

function errorEventOf(text: string): unknown {
  const last = text.trimEnd().split("\n\n").at(-1)!;
  return JSON.parse(last.replace(/^data: /, ""));
}

describe("forwardOpenAiStream when the upstream misbehaves", () => {
  const stream = (onUsage: (u: UnifiedUsage, failed?: ApiError) => void) => ({
    provider: "custom",
    redact: (text: string) => text,
    clientWantsUsage: false,
    promptText: "abc",
    onUsage,
  });

  it(
    "a connection lost mid-stream ends the stream with an error event (no [DONE]) " +
      "and reports usage once, as failed",
    async () => {
      const reports: [UnifiedUsage, ApiError | undefined][] = [];
      const res = await forwardOpenAiStream(
        bodyFailingAfter(lost, chunk("He"), chunk("llo")),
        stream((u, f) => reports.push([u, f])),
      );
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain("data: [DONE]");
      expect(text).toContain('"content":"llo"');
      expect(errorEventOf(text)).toEqual({ error: { error_code: "BAD_GATEWAY", message: lost.message } });
      expect(reports).toHaveLength(1);
      expect(reports[0]![1]?.status).toBe(502);
    },
  );

  it("a stream that ends without [DONE] or a finish_reason is cut off: an error event, not a [DONE]", async () => {
    const res = await forwardOpenAiStream(
      bodyOf(chunk("abc"), 'data: {"id":"c","choi'),
      stream(() => {}),
    );
    const text = await res.text();
    expect(text).not.toContain("data: [DONE]");
    expect(errorEventOf(text)).toMatchObject({
      error: {
        error_code: "BAD_GATEWAY",
        message: expect.stringMatching(/custom.*ended its stream before it was complete/),
      },
    });
  });

  it("an event that is not JSON ends the stream with an error event naming the provider", async () => {
    const res = await forwardOpenAiStream(
      bodyOf(chunk("abc"), "data: {oops\n\n", chunk("never sent"), finish),
      stream(() => {}),
    );
    const text = await res.text();
    expect(text).not.toContain("never sent");
    expect(errorEventOf(text)).toMatchObject({
      error: {
        error_code: "BAD_GATEWAY",
        message: expect.stringMatching(
          /provider 'custom' sent a stream event this gateway cannot read: it is not JSON/,
        ),
      },
    });
  });

  it("a chunk whose fields changed type is a 502 naming the field", async () => {
    const changed = `data: ${JSON.stringify({ id: "c", choices: { index: 0 } })}\n\n`;
    const error = await forwardOpenAiStream(
      bodyOf(changed),
      stream(() => {}),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/'choices' is object, expected array/);
  });

  it(
    "fails before the first byte with an HTTP error: an error event or a lost connection as the first thing, " +
      "and no usage reported",
    async () => {
      const reports: unknown[] = [];
      const upstreamError = event({
        error: { message: "The server had an error while processing your request.", type: "server_error" },
      });
      const first = await forwardOpenAiStream(
        bodyOf(upstreamError),
        stream((u) => reports.push(u)),
      ).catch((e) => e);
      expect(first).toMatchObject({
        status: 502,
        message: "The provider 'custom' failed mid-stream: The server had an error while processing your request.",
      });
      const second = await forwardOpenAiStream(
        bodyFailingAfter(lost),
        stream((u) => reports.push(u)),
      ).catch((e) => e);
      expect(second).toBe(lost);
      const third = await forwardOpenAiStream(
        bodyOf(""),
        stream((u) => reports.push(u)),
      ).catch((e) => e);
      expect(third.message).toMatch(/ended its stream before it was complete/);
      expect(reports).toEqual([]);
    },
  );

  it(
    "hands a reader of its text (payload logging) what the client got, chunk by chunk, " + "and how the stream ended",
    async () => {
      const tapped = (res: Response) => {
        const seen = { text: "", ends: [] as boolean[] };
        const attached = readStreamText(res, {
          chunk: (text, bytes) => {
            expect(new TextEncoder().encode(text).byteLength).toBe(bytes);
            seen.text += text;
          },
          end: (complete) => seen.ends.push(complete),
        });
        expect(attached).toBe(true);
        return seen;
      };
      const whole = await forwardOpenAiStream(
        bodyOf(chunk("Hé"), finish, usageChunk, "data: [DONE]\n\n"),
        stream(() => {}),
      );
      const wholeSeen = tapped(whole);
      const wholeText = await whole.text();
      expect(wholeText).toMatch(/data: \[DONE\]\n\n$/);
      expect(wholeSeen.text).toBe(wholeText);
      expect(wholeSeen.ends).toEqual([true]);

      const broken = await forwardOpenAiStream(
        bodyOf(chunk("He"), "data: {oops\n\n"),
        stream(() => {}),
      );
      const brokenSeen = tapped(broken);
      const brokenText = await broken.text();
      expect(brokenText).toMatch(/"error_code":"BAD_GATEWAY"/);
      expect(brokenSeen.text).toBe(brokenText);
      expect(brokenSeen.ends).toEqual([true]);

      const left = await forwardOpenAiStream(
        bodyOf(chunk("He"), chunk("llo")),
        stream(() => {}),
      );
      const leftSeen = tapped(left);
      await left.body!.cancel();
      expect(leftSeen.ends).toEqual([false]);
    },
  );
});
