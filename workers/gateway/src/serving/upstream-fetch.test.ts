import { ApiError } from "@edgeserve/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { readerOf } from "./upstream-body";
import { fetchUpstream, upstreamIdleTimeoutMs, upstreamTimeoutMs } from "./upstream-fetch";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
  vi.restoreAllMocks();
});

const init = { method: "POST", body: JSON.stringify({ model: "m", messages: [] }) };

describe("fetchUpstream", () => {
  it("answers 504 DEADLINE_EXCEEDED when the upstream is slower than the deadline, and aborts it", async () => {
    upstream = fakeOpenAiUpstream({ delayMs: 5_000 });
    const error = await fetchUpstream("https://up.test/v1/chat/completions", init, {
      timeoutMs: 50,
      provider: "custom",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(504);
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(upstream.state.aborted).toBe(1);
  });

  it("answers 503 when the upstream cannot be reached", async () => {
    const error = await fetchUpstream("http://127.0.0.1:1/v1/chat/completions", init, {
      timeoutMs: 5_000,
      provider: "custom",
    }).catch((e) => e);
    expect(error.status).toBe(503);
    expect(error.code).toBe("TEMPORARILY_UNAVAILABLE");
  });

  it("reads the deadline from EDGESERVE_UPSTREAM_TIMEOUT_S, defaulting to Databricks' 297 s", () => {
    expect(upstreamTimeoutMs({})).toBe(297_000);
    expect(upstreamTimeoutMs({ EDGESERVE_UPSTREAM_TIMEOUT_S: "30" })).toBe(30_000);
    expect(upstreamTimeoutMs({ EDGESERVE_UPSTREAM_TIMEOUT_S: "junk" })).toBe(297_000);
  });

  it("reads the idle deadline from EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S (decimals allowed), defaulting to 120 s", () => {
    expect(upstreamIdleTimeoutMs({})).toBe(120_000);
    expect(upstreamIdleTimeoutMs({ EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S: "2.5" })).toBe(2_500);
    expect(upstreamIdleTimeoutMs({ EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S: "0" })).toBe(120_000);
  });
});

/**
 * An upstream as a real socket behaves (global fetch replaced, as the gateway shares the test's
 * isolate): headers after `headersAfterMs`, then `pieces` one by one, each `gapMs` after the last,
 * then `end` — a clean close, a reset (the body errors as workerd's does) or a stall. Aborting the
 * request ends it, as closing a connection does.
 */
function scriptedUpstream(script: {
  headersAfterMs?: number;
  pieces?: string[];
  gapMs?: number;
  end?: "close" | "reset" | "stall";
}) {
  const state = { aborted: false };
  const encoder = new TextEncoder();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
    const signal = init?.signal as AbortSignal;
    const wait = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => {
          state.aborted = true;
          clearTimeout(t);
          reject(new DOMException("The operation was aborted.", "AbortError"));
        });
      });
    await wait(script.headersAfterMs ?? 0);
    const pieces = [...(script.pieces ?? [])];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (pieces.length) {
          await wait(script.gapMs ?? 0);
          controller.enqueue(encoder.encode(pieces.shift()!));
        } else if (script.end === "reset") controller.error(new Error("Network connection lost."));
        else if (script.end === "stall") await wait(60_000);
        else controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return state;
}

const deadlines = { timeoutMs: 5_000, idleTimeoutMs: 150, provider: "custom" };

describe("fetchUpstream's idle deadline and failures mid-body", () => {
  it("a stream whose headers do not come within the idle deadline is 504, and the upstream is abandoned", async () => {
    const state = scriptedUpstream({ headersAfterMs: 2_000 });
    const started = Date.now();
    const error = await fetchUpstream("https://up.test/v1/chat/completions", init, {
      ...deadlines,
      stream: true,
    }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({
      status: 504,
      code: "DEADLINE_EXCEEDED",
      message: expect.stringMatching(/'custom' did not start its stream within 0.15 s/),
    });
    expect(state.aborted).toBe(true);
  });

  it("a plain call may take until the whole deadline for its headers (they come with the whole answer)", async () => {
    scriptedUpstream({ headersAfterMs: 400, pieces: ['{"ok":true}'], end: "close" });
    const response = await fetchUpstream("https://up.test/v1/chat/completions", init, { ...deadlines, stream: false });
    expect(await response.text()).toBe('{"ok":true}');
  });

  it(
    "a body that stalls longer than the idle deadline fails " +
      "with 504 naming the provider, and the upstream is abandoned",
    async () => {
      const state = scriptedUpstream({ pieces: ["data: 1\n\n"], end: "stall" });
      const response = await fetchUpstream("https://up.test/v1/chat/completions", init, { ...deadlines, stream: true });
      const reader = response.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 1\n\n");
      const started = Date.now();
      const error = await reader.read().catch((e) => e);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 504,
        message: expect.stringMatching(/'custom' sent nothing for 0.15 s \(EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S\)/),
      });
      expect(state.aborted).toBe(true);
    },
  );

  it("read under its stream (readerOf, as the SSE reader does), the body keeps the same idle deadline", async () => {
    const state = scriptedUpstream({ pieces: ["data: 1\n\n"], end: "stall" });
    const response = await fetchUpstream("https://up.test/v1/chat/completions", init, { ...deadlines, stream: true });
    const reader = readerOf(response.body!);
    expect(response.body!.locked).toBe(true);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 1\n\n");
    const started = Date.now();
    const error = await reader.read().catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({ status: 504, message: expect.stringMatching(/'custom' sent nothing for 0.15 s/) });
    expect(state.aborted).toBe(true);
  });

  it("a slow body is fine while each gap stays under the idle deadline", async () => {
    scriptedUpstream({ pieces: ["a", "b", "c", "d", "e"], gapMs: 80, end: "close" });
    const response = await fetchUpstream("https://up.test/v1/chat/completions", init, { ...deadlines, stream: true });
    expect(await response.text()).toBe("abcde");
  });

  it("a body that outlives the whole deadline fails with 504", async () => {
    scriptedUpstream({ pieces: ["a", "b", "c", "d", "e", "f"], gapMs: 100, end: "close" });
    const response = await fetchUpstream("https://up.test/v1/chat/completions", init, {
      ...deadlines,
      timeoutMs: 300,
      stream: true,
    });
    await expect(response.text()).rejects.toMatchObject({
      status: 504,
      message: expect.stringMatching(/'custom' did not finish its answer within 0.3 s/),
    });
  });

  it("a plain call's answer comes read whole: its text is the upstream's, in pieces or not", async () => {
    scriptedUpstream({ pieces: ['{"id":', '"a",', '"ok":true}'], gapMs: 20, end: "close" });
    const response = await fetchUpstream("https://up.test/v1/chat/completions", init, { ...deadlines, stream: false });
    expect(await response.json()).toEqual({ id: "a", ok: true });
  });

  it("a plain call whose body stalls past the idle deadline is 504, and the upstream is abandoned", async () => {
    const state = scriptedUpstream({ pieces: ['{"id":'], end: "stall" });
    const started = Date.now();
    const error = await fetchUpstream("https://up.test/v1/chat/completions", init, {
      ...deadlines,
      stream: false,
    }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 504,
      message:
        "The provider 'custom' did not send its whole answer within 0.15 s of its headers " +
        "(EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).",
    });
    expect(state.aborted).toBe(true);
  });

  it("a connection lost mid-body fails the plain call with 502 naming the provider, never a TypeError", async () => {
    scriptedUpstream({ pieces: ['{"id":'], end: "reset" });
    const answer = fetchUpstream("https://up.test/v1/chat/completions", init, {
      ...deadlines,
      stream: false,
    });
    await expect(answer).rejects.toMatchObject({
      status: 502,
      code: "BAD_GATEWAY",
      message: "The connection to the provider 'custom' broke off mid-answer: Network connection lost.",
    });
  });
});
