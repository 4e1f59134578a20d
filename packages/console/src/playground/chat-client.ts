import type { ChatRequest } from "@edgeserve/api";
import { createParser } from "eventsource-parser";
import { apiErrorOf } from "../api/api-error";
import { type Reply, applyChunk, emptyReply, replyOfCompletion } from "./assemble-reply";
import { MAX_KEPT_FRAMES, type RawFrame, type ResponseFacts, responseFacts } from "./response-inspector";
import type { RunTimings } from "./run-metrics";
import { isRecord, parseJson } from "./json-value";

/** The gateway's OpenAI-compatible chat route: `model` names the endpoint, as OpenAI's SDKs call it. */
const CHAT_PATH = "/serving-endpoints/chat/completions";

/** One request of a pane, as it goes: what has arrived so far, and how it ended. */
export interface ChatRun {
  request: ChatRequest;
  timings: RunTimings;
  facts?: ResponseFacts;
  reply: Reply;
  frames: RawFrame[];
  /** How it ended: still running, complete, stopped by the user, or failed (with the API's error). */
  status: "running" | "done" | "stopped" | "failed";
  error?: { errorCode: string; message: string };
}

export interface ChatCallOptions {
  token: string | null;
  signal: AbortSignal;
  /** Called whenever the run changed (headers, each frame, the end). The caller batches rendering. */
  onUpdate?: (run: ChatRun) => void;
  /** Origin to call; the page's own when empty (tests call a server of their own). */
  origin?: string;
  now?: () => number;
}

/**
 * Sends one chat request and follows its answer. Streams are read with fetch (EventSource can neither POST nor
 * send the Authorization header) and parsed with eventsource-parser; aborting `signal` stops the stream, and the
 * gateway then cancels its upstream call. Never throws: every way a request ends is a `status` on the run.
 */
export async function runChat(request: ChatRequest, options: ChatCallOptions): Promise<ChatRun> {
  const now = options.now ?? (() => performance.now());
  const run: ChatRun = { request, timings: { startedAt: now() }, reply: emptyReply(), frames: [], status: "running" };
  const update = () => options.onUpdate?.(run);
  const fail = (errorCode: string, message: string) => {
    run.status = "failed";
    run.error = { errorCode, message };
  };
  try {
    const response = await fetch(`${options.origin ?? ""}${CHAT_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: request.stream ? "text/event-stream" : "application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(request),
      signal: options.signal,
      credentials: "omit",
    });
    run.facts = responseFacts(response.status, response.headers);
    update();
    if (!response.ok) {
      const error = apiErrorOf(response.status, await response.text(), response.headers);
      fail(error.errorCode, error.message);
    } else if (response.headers.get("content-type")?.includes("text/event-stream") && response.body) {
      await readStream(response.body, run, now, update);
    } else {
      const text = await response.text();
      run.timings.firstTokenAt = now();
      keepFrame(run, now, text);
      const completion = parseJson(text);
      if (!isRecord(completion)) fail("BAD_RESPONSE", "The answer is not JSON (see the inspector).");
      else {
        run.reply = replyOfCompletion(completion as Parameters<typeof replyOfCompletion>[0]);
        run.status = "done";
      }
    }
  } catch (e) {
    if (options.signal.aborted) run.status = "stopped";
    else fail("NETWORK_ERROR", `The request failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  run.timings.endedAt = now();
  update();
  return run;
}

async function readStream(body: ReadableStream<Uint8Array>, run: ChatRun, now: () => number, update: () => void) {
  let ended = false;
  const parser = createParser({
    onEvent(event) {
      keepFrame(run, now, event.data);
      if (ended) return;
      if (event.data === "[DONE]") {
        ended = true;
        run.status = "done";
        return;
      }
      const data = parseJson(event.data);
      if (!isRecord(data)) {
        ended = true;
        run.status = "failed";
        run.error = { errorCode: "BAD_RESPONSE", message: "The stream sent an event that is not JSON." };
        return;
      }
      if (isRecord(data.error)) {
        // A failure after the first bytes (upstream cut off, output guardrail): the gateway's error event.
        const { error_code, message } = data.error;
        ended = true;
        run.status = "failed";
        run.error = {
          errorCode: typeof error_code === "string" ? error_code : "STREAM_ERROR",
          message: typeof message === "string" ? message : event.data,
        };
        return;
      }
      if (applyChunk(run.reply, data as Parameters<typeof applyChunk>[1]) && run.timings.firstTokenAt === undefined)
        run.timings.firstTokenAt = now();
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // `stream: true` keeps a multi-byte character split across reads for the next one.
    parser.feed(decoder.decode(value, { stream: true }));
    update();
  }
  if (!ended) {
    run.status = "failed";
    run.error = { errorCode: "STREAM_INCOMPLETE", message: "The stream ended before its [DONE] event." };
  }
}

function keepFrame(run: ChatRun, now: () => number, data: string) {
  if (run.frames.length < MAX_KEPT_FRAMES) run.frames.push({ atMs: now() - run.timings.startedAt, data });
}
