import { ApiError } from "@edgeserve/api";
import { StreamTextTap, withStreamTextTap } from "../../../http/stream-text-tap";
import { upstreamMessage } from "../../upstream-errors";
import { fromOpenAiUsage, type OpenAiChunk, openAiOutputText } from "./openai-answer-schema";
import { parseOpenAiChunk } from "./parse-openai-json";
import { encodeSse, readSseEventBatches, type SseEvent, sseJsonEvent } from "./sse";
import { recordedFailure, streamErrorEvent, streamFailure } from "./stream-error-event";
import type { UnifiedUsage } from "./unified";
import { estimatedUsage, openAiUsage } from "./usage";

export interface ForwardStreamOptions {
  /** The provider's name in error messages. */
  provider: string;
  /** Removes the endpoint's credentials from a provider's text in an error event (ProviderCall.redact). */
  redact(text: string): string;
  /** `stream_options.include_usage` of the client. */
  clientWantsUsage: boolean;
  promptText: string;
  onUsage: (usage: UnifiedUsage, failed?: ApiError) => void;
}

/** What one upstream read brought, ready to forward, and how the stream ends if it ended there. */
interface ForwardStep {
  out: string;
  end?: "done" | ApiError;
}

/** A stream's progress. */
interface StreamState {
  /** Text so far, for estimating usage when the upstream reports none. */
  completion: string;
  usage: UnifiedUsage | null;
  /** The upstream's usage object as sent (with its details), for the chunk that carries it to the client. */
  usageBody: unknown;
  /** Choice index → whether it has its finish_reason. */
  finished: Map<number, boolean>;
  /** The last finish chunk, held back to carry the usage when the client did not ask for a usage chunk. */
  held: Record<string, unknown> | null;
  sentUsageChunk: boolean;
  /** id, object, created, model of the last chunk, for a usage chunk the gateway writes itself. */
  meta: Pick<OpenAiChunk, "id" | "object" | "created" | "model">;
}

/**
 * Forwards an upstream's OpenAI-format SSE stream, each event's data untouched, while reading its
 * usage. Usage reaches every client however it asked: with `stream_options.include_usage`, one final
 * usage-only chunk (the upstream's, or written here from the usage it put on another chunk, or
 * estimated when it sent none); without it, no usage-only chunk (clients that read `choices[0]` of
 * every chunk would break on it) but `usage` on the last chunk that has a finish_reason, as Databricks
 * answers, which is where Databricks' AI SDK provider reads it.
 *
 * Nothing is taken on trust: the first bytes are awaited before answering, so an upstream that fails,
 * stalls or sends nothing usable first is an HTTP error status; after them, a lost connection, a
 * deadline, an event that is not JSON or lacks what is read, the upstream's own error event, or an
 * end without `[DONE]` or finish reasons ends the stream with one error event (see streamErrorEvent).
 * The usage is reported once, however the stream ends (the client going away included).
 */
export async function forwardOpenAiStream(
  body: ReadableStream<Uint8Array>,
  options: ForwardStreamOptions,
): Promise<Response> {
  const batches = readSseEventBatches(body);
  const state: StreamState = {
    completion: "",
    usage: null,
    usageBody: undefined,
    finished: new Map(),
    held: null,
    sentUsageChunk: false,
    meta: {},
  };
  const next = async (): Promise<ForwardStep> => {
    let step: IteratorResult<SseEvent[]>;
    try {
      step = await batches.next();
    } catch (error) {
      return { out: release(state, false), end: streamFailure(error, options.provider) };
    }
    if (step.done) {
      if (complete(state)) return { out: finish(state, options), end: "done" };
      return {
        out: release(state, false),
        end: new ApiError(
          "BAD_GATEWAY",
          `The provider '${options.provider}' ended its stream before it was complete (no finish_reason, no [DONE]).`,
          { status: 502 },
        ),
      };
    }
    return forwardEvents(step.value, state, options);
  };

  let pending: ForwardStep | null = await next();
  while (!pending.out && !pending.end) pending = await next();
  if (pending.end instanceof ApiError && !pending.out) {
    await batches.return(undefined);
    throw pending.end;
  }

  let reported = false;
  const report = (failed?: ApiError) => {
    if (reported) return;
    reported = true;
    options.onUsage(
      state.usage ?? estimatedUsage(options.promptText, state.completion),
      failed && recordedFailure(failed),
    );
  };
  // What one upstream read brought is forwarded in one chunk: a role chunk and the first token that
  // arrived together leave together, without a write and another pull in between. Each chunk's text goes
  // to the tap too (payload logging reads it there: no copying stream layer). Nothing is pulled before the
  // client reads (highWaterMark 0), so whoever reads the tap attaches before the first chunk.
  const tap = new StreamTextTap();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const send = (text: string) => {
          const bytes = encodeSse(text);
          tap.sent(text, bytes.byteLength);
          controller.enqueue(bytes);
        };
        try {
          for (;;) {
            const step: ForwardStep = pending ?? (await next());
            pending = null;
            if (step.end === "done") {
              report();
              send(`${step.out}data: [DONE]\n\n`);
            } else if (step.end) {
              report(step.end);
              send(step.out + streamErrorEvent(step.end, options.redact));
            } else if (step.out) {
              send(step.out);
              return;
            } else continue;
            controller.close();
            tap.ended(true);
            await closeUpstream(batches, step.end === "done");
            return;
          }
        } catch (error) {
          tap.ended(false);
          throw error;
        }
      },
      async cancel() {
        report();
        tap.ended(false);
        await batches.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(stream, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
  return withStreamTextTap(response, tap);
}

/**
 * Lets go of the upstream's body once the client's stream is closed. After `[DONE]` the body ends at once:
 * reading that end, rather than cancelling the body before it, leaves the connection to the upstream
 * reusable for the next call (a cancelled body closes it, and the next call opens a new one). Anything
 * sent after `[DONE]` is not read: the body is cancelled then, as on every other ending.
 */
async function closeUpstream(batches: AsyncGenerator<SseEvent[]>, afterDone: boolean): Promise<void> {
  if (afterDone) {
    try {
      if ((await batches.next()).done) return;
    } catch {
      return;
    }
  }
  await batches.return(undefined);
}

/** The held finish chunk, as an event to send now: with the usage when it is known (or, at the end, estimated). */
function release(state: StreamState, atEnd: boolean, options?: ForwardStreamOptions): string {
  const held = state.held;
  if (!held) return "";
  state.held = null;
  const usage =
    state.usageBody ??
    (atEnd && options ? openAiUsage(estimatedUsage(options.promptText, state.completion)) : undefined);
  return sseJsonEvent(usage === undefined ? held : { ...held, usage });
}

/**
 * What is still owed when the upstream's stream ended well: the held finish chunk, and a usage chunk the
 * client asked for.
 */
function finish(state: StreamState, options: ForwardStreamOptions): string {
  let out = release(state, true, options);
  if (options.clientWantsUsage && !state.sentUsageChunk) {
    const usage = state.usageBody ?? openAiUsage(state.usage ?? estimatedUsage(options.promptText, state.completion));
    out += sseJsonEvent({
      id: state.meta.id,
      object: state.meta.object ?? "chat.completion.chunk",
      created: state.meta.created,
      model: state.meta.model,
      choices: [],
      usage,
    });
  }
  return out;
}

/** A stream that ends without `[DONE]` is still whole when every choice it started has a finish_reason. */
function complete(state: StreamState): boolean {
  return state.finished.size > 0 && [...state.finished.values()].every(Boolean);
}

/**
 * The events of one upstream read → the SSE text to forward; stops at `[DONE]` or at the first event it
 * cannot forward.
 */
function forwardEvents(events: SseEvent[], state: StreamState, options: ForwardStreamOptions): ForwardStep {
  let out = "";
  for (const { data } of events) {
    if (data === "[DONE]") return { out: out + finish(state, options), end: "done" };
    let chunk: OpenAiChunk;
    try {
      chunk = parseOpenAiChunk(data, options.provider);
    } catch (error) {
      return { out: out + release(state, false), end: error as ApiError };
    }
    if (chunk.error !== undefined && chunk.error !== null)
      return {
        out: out + release(state, false),
        end: new ApiError(
          "BAD_GATEWAY",
          `The provider '${options.provider}' failed mid-stream: ${upstreamMessage(data)}`,
          { status: 502, cause: `The provider '${options.provider}' sent the stream event: ${data}` },
        ),
      };
    state.meta = {
      id: chunk.id ?? state.meta.id,
      object: chunk.object || state.meta.object,
      created: chunk.created ?? state.meta.created,
      model: chunk.model || state.meta.model,
    };
    const usage = fromOpenAiUsage(chunk.usage);
    if (usage) {
      state.usage = usage;
      state.usageBody = chunk.usage;
    }
    let finishes = false;
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      finishes ||= typeof choice.finish_reason === "string";
      state.finished.set(index, state.finished.get(index) === true || typeof choice.finish_reason === "string");
    }
    state.completion += openAiOutputText(chunk);
    if (usage && !chunk.choices?.length) {
      // The usage-only chunk: the client's if it asked, else its usage goes onto the held finish chunk.
      if (options.clientWantsUsage) {
        state.sentUsageChunk = true;
        out += `data: ${data}\n\n`;
      } else out += release(state, false);
      continue;
    }
    out += release(state, false);
    if (finishes && !usage && !options.clientWantsUsage) state.held = JSON.parse(data) as Record<string, unknown>;
    else out += `data: ${data}\n\n`;
  }
  return { out };
}
